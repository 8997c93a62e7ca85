// Started by parent-death.test.ts as its own process: a real engine (data folder argv[2]) that
// transcribes a long file (argv[3]) with the synthetic `tiny-random` model. Once a whisper
// worker is busy it prints `{"workers":[pid,…]}` and waits, to be killed with -9.
import { createTestEngine } from '../../test-support/test-engine';

const [dataDir, audio] = process.argv.slice(2);
if (!dataDir || !audio) throw new Error('usage: engine-transcribing.ts <data folder> <audio file>');
const engine = await createTestEngine(dataDir);
const media = await engine.media.add(audio);
engine.jobs.submit({
  kind: 'transcribe',
  mediaId: media.id,
  params: { modelId: 'tiny-random', language: 'en', vad: false },
});
const timer = setInterval(() => {
  const busy = engine.whisper.status().workers.filter((w) => w.busy && w.pid !== null);
  if (busy.length === 0) return;
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify({ workers: busy.map((w) => w.pid) })}\n`);
}, 50);
