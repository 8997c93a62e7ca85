/**
 * Child process for long-prompt.test.ts: hands the native addon a prompt directly, past every
 * TypeScript check, as a caller that bypasses them would, and prints how long each transcription
 * of one second of jfk.wav took. Arguments: `<kind>:<characters>` …, kind `run` (one "word" of
 * that many letters) or `words` (ordinary words). A crash shows as the child's exit signal.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { findAddonPath } from '../addon';
import { whisperLanguages } from '../languages';
import { parseTranscribeParams, type NativeTranscribeParams } from '../params';
import { readWav16kMono, speech, testModels } from './whisper-fixtures';

interface RawAddon {
  loadBackends(dir: string): number;
  load(path: string, options: object): Promise<{ handle: object }>;
  transcribe(
    handle: object,
    pcm: Float32Array,
    params: NativeTranscribeParams,
  ): { promise: Promise<{ segments: unknown[] }> };
}

export function longPrompt(kind: string, chars: number): string {
  if (kind === 'run') return 'a'.repeat(chars);
  const words = ['Kubernetes', 'deploy', 'the', 'cluster', 'with', 'Helm', 'charts,', 'and'];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${words[i % words.length]} `;
  return text.slice(0, chars);
}

const file = findAddonPath();
if (!file) throw new Error('the addon is not built');
const addon = createRequire(import.meta.url)(file) as RawAddon;
addon.loadBackends(dirname(file));
const { handle } = await addon.load(testModels.tinyEn, {
  useGpu: false,
  gpuDevice: 0,
  flashAttn: true,
  dtw: null,
});
const pcm = readWav16kMono(speech.jfk).subarray(0, 16_000);
const base = parseTranscribeParams(
  { language: 'en', threads: 1 },
  { languages: whisperLanguages(), multilingual: false, audioMs: 1000 },
);
for (const arg of process.argv.slice(2)) {
  const [kind, chars] = arg.split(':');
  const started = performance.now();
  await addon.transcribe(handle, pcm, { ...base, initialPrompt: longPrompt(kind!, Number(chars)) })
    .promise;
  console.log(`${arg} ${Math.round(performance.now() - started)}`);
}
