/**
 * Partial saves of a 3-hour transcription job, old way against new, in one run: the segments of a
 * 3-hour transcript (the editor benchmark's document: ~30,000 words in ~2,500 segments) arrive in
 * `--saves` batches (default 540: a 3-hour file at 10× real time saved every 2 s), and each batch
 * is saved to a partial transcript in a fresh library database (WAL, as the engine opens it):
 *
 * - old: `transcripts.update` with the whole document so far (what the job did every 2 s), which
 *   rewrites the document JSON and diffs every stored search row against it;
 * - new: `transcripts.appendPartial` with the batch only (migration 0009).
 *
 * Per way: time per save (mean, p50, p95, max = the longest the event loop was held, the saves
 * are synchronous), the JSON handed to SQLite per save, and the bytes the process actually wrote
 * (`wchar` of /proc/self/io: database and WAL writes; null where there is no /proc), total and
 * per save; then a read of the finished partial transcript (`transcripts.get`, which for the new
 * way assembles the appended rows; median of 5 after one untimed). The document is only built once, outside the timings:
 * the old job also rebuilt it from every streamed segment before each save, which is not counted.
 *
 * Options: `--saves N` (default 540), `--words N` (default 30000), `--new-only` (skips the old way,
 * which takes minutes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Segment, TranscriptDocument } from '../../src-main/contract/document';
import { seededRandom } from '../../src-main/engine/documents/__fixtures__/random-result';
import { openDatabase } from '../../src-main/engine/store/database';
import { createRepositories } from '../../src-main/engine/store/repositories';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';
import { syntheticDocument } from '../synthetic-document';

const DURATION_MS = 3 * 60 * 60 * 1000;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const log = (line: string) => process.stderr.write(`[partial-save] ${line}\n`);

const vocabulary = (
  'the a and of to in that it is was for on with as we they you this but have be at not what ' +
  'from or by one all there so when about which their would said people time just know like ' +
  'transcription studio caption editor waveform segment speaker minute recording interview'
).split(' ');

/** Bytes this process has passed to write(2) so far, or null without /proc. */
function writtenBytes(): number | null {
  if (!existsSync('/proc/self/io')) return null;
  const match = /^wchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
  return match ? Number(match[1]) : null;
}

/** Batch boundaries: `saves` batches of near-equal size over `count` segments. */
const boundaries = (count: number, saves: number): number[] =>
  Array.from({ length: saves }, (_, i) => Math.round(((i + 1) * count) / saves));

interface WayFigures {
  [key: string]: number | null;
}

async function measure(
  way: 'old' | 'new',
  document: TranscriptDocument,
  ends: readonly number[],
): Promise<WayFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), `studio-partial-save-${way}-`));
  const db = openDatabase(path.join(dir, 'library.db'));
  try {
    const repos = createRepositories(db);
    const media = repos.media.insert({
      path: path.join(dir, 'three-hours.wav'),
      name: 'three-hours.wav',
      sizeBytes: 1,
      durationSec: DURATION_MS / 1000,
      container: 'wav',
      audioCodec: 'pcm_s16le',
      sampleRate: 16000,
      channels: 1,
      hasVideo: false,
    });
    const head: TranscriptDocument = {
      ...document,
      segments: [],
      notes: ['Transcription in progress.'],
    };
    const transcript = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: 'en',
      document: head,
      status: 'partial',
    });
    let version = transcript.version;
    let done = 0;
    const times: number[] = [];
    let payload = 0;
    let lastPayload = 0;
    const written0 = writtenBytes();
    for (const end of ends) {
      const batch: Segment[] = document.segments.slice(done, end);
      // What each way hands to SQLite, measured outside the timing.
      const whole = way === 'old' ? { ...head, segments: document.segments.slice(0, end) } : null;
      lastPayload = whole
        ? JSON.stringify(whole).length
        : batch.reduce((n, s) => n + JSON.stringify(s).length, 0);
      payload += lastPayload;
      const t0 = performance.now();
      if (whole) version = repos.transcripts.update(transcript.id, version, whole).version;
      else ({ version } = repos.transcripts.appendPartial(transcript.id, version, batch));
      times.push(performance.now() - t0);
      done = end;
    }
    const written1 = writtenBytes();
    const reads: number[] = [];
    let read = repos.transcripts.get(transcript.id)!;
    for (let i = 0; i < 5; i += 1) {
      const t0 = performance.now();
      read = repos.transcripts.get(transcript.id)!;
      reads.push(performance.now() - t0);
    }
    if (read.document.segments.length !== document.segments.length) {
      throw new Error(`${way}: read ${read.document.segments.length} segments back`);
    }
    const total = times.reduce((a, b) => a + b, 0);
    const written = written0 !== null && written1 !== null ? written1 - written0 : null;
    return {
      [`${way}_total_ms`]: round(total),
      [`${way}_mean_ms`]: round(total / times.length, 3),
      [`${way}_p50_ms`]: round(percentile(times, 50), 3),
      [`${way}_p95_ms`]: round(percentile(times, 95), 3),
      [`${way}_max_ms`]: round(Math.max(...times), 3),
      [`${way}_json_mb`]: round(payload / 1e6, 1),
      [`${way}_json_kb_per_save`]: round(payload / ends.length / 1e3, 1),
      [`${way}_last_save_json_kb`]: round(lastPayload / 1e3, 1),
      [`${way}_written_mb`]: written === null ? null : round(written / 1e6, 1),
      [`${way}_written_kb_per_save`]:
        written === null ? null : round(written / ends.length / 1e3, 1),
      [`${way}_read_partial_ms`]: round(percentile(reads, 50)),
    };
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const numberOption = (options: BenchmarkOptions, name: string, fallback: number) => {
  const value = options.extra[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer.`);
  return n;
};

const benchmark: Benchmark = {
  name: 'partial-save',
  description:
    'Partial saves of a 3-hour job: the whole document every time (old) against appendPartial (new)',
  async run(options) {
    const words = numberOption(options, 'words', 30_000);
    const rng = seededRandom(6);
    const document = syntheticDocument({
      wordCount: words,
      nextWord: () => vocabulary[Math.floor(rng() * vocabulary.length)]!,
      rng,
      stepMs: Math.floor(DURATION_MS / words),
      durationMs: DURATION_MS,
      flags: true,
      pauseAfterSegment: true,
    });
    const saves = Math.min(numberOption(options, 'saves', 540), document.segments.length);
    const ends = boundaries(document.segments.length, saves);
    log(`${document.segments.length} segments in ${saves} saves`);
    const old: WayFigures = options.extra['new-only'] ? {} : await measure('old', document, ends);
    log('new way');
    const fresh = await measure('new', document, ends);
    const ratio = (a: number | null, b: number | null) =>
      a === null || b === null || b === 0 ? null : round(a / b, 1);
    return {
      words,
      segments: document.segments.length,
      saves,
      document_mb: round(JSON.stringify(document).length / 1e6, 2),
      ...old,
      ...fresh,
      time_old_to_new: ratio(old.old_total_ms ?? null, fresh.new_total_ms ?? null),
      max_block_old_to_new: ratio(old.old_max_ms ?? null, fresh.new_max_ms ?? null),
      json_old_to_new: ratio(old.old_json_mb ?? null, fresh.new_json_mb ?? null),
      written_old_to_new: ratio(old.old_written_mb ?? null, fresh.new_written_mb ?? null),
    };
  },
};

export default benchmark;
