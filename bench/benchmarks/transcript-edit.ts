/**
 * Reading and saving a 3-hour transcript through the API (`GET` and `PATCH /v1/transcripts/:id`,
 * app.inject on a real engine and SQLite library), old way against new, in one run, with the
 * event loop watched: a 2 ms setInterval's worst lateness (the longest the loop was held) and
 * perf_hooks' monitorEventLoopDelay max. Target: ≤ 50 ms.
 *
 * - old: what the route did before, on the event loop, timed step by step (each step is one
 *   synchronous block, so the longest step is the least the loop was held): GET = the repo's
 *   parse of the stored document + the answer's JSON; PATCH = the body's JSON.parse, the
 *   contract's parse, the invariants, `transcripts.update` (the document's JSON and the search
 *   index in one transaction) and the answer's JSON.
 * - new: the requests themselves through the API: GET splices the stored text into the answer;
 *   PATCH parses and checks the body in the document worker thread and re-indexes in slices.
 *
 * Two PATCH edits: `notes` (one field; few search rows change) and `all` (a word changed in every
 * segment: every search row is rewritten). `--runs N` (default 5) per figure, `--words N`
 * (default 32,400).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../../src-main/api/app';
import type { Segment, TranscriptDocument } from '../../src-main/contract/document';
import { patchTranscriptBody } from '../../src-main/contract/transcripts';
import { createEngine } from '../../src-main/engine/create-engine';
import { seededRandom } from '../../src-main/engine/documents/__fixtures__/random-result';
import { checkInvariants } from '../../src-main/engine/documents/validate';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';
import { syntheticDocument } from '../synthetic-document';

const DURATION_MS = 3 * 60 * 60 * 1000;
const PROBE_MS = 2;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const log = (line: string) => process.stderr.write(`[transcript-edit] ${line}\n`);

const vocabulary = (
  'the a and of to in that it is was for on with as we they you this but have be at not what ' +
  'from or by one all there so when about which their would said people time just know like ' +
  'transcription studio caption editor waveform segment speaker minute recording interview'
).split(' ');

const numberOption = (options: BenchmarkOptions, name: string, fallback: number) => {
  const value = options.extra[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer.`);
  return n;
};

/** The longest the event loop was held while `work` ran: probe lateness and histogram max. */
async function watched<T>(
  work: () => Promise<T>,
): Promise<{ result: T; lagMs: number; histMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let lagMs = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - PROBE_MS);
    last = now;
  }, PROBE_MS);
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 10));
  try {
    const result = await work();
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { result, lagMs, histMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
    clearInterval(probe);
  }
}

/** Every segment's first word replaced by `word`: every search row changes. */
const everySegment = (document: TranscriptDocument, word: string): TranscriptDocument => ({
  ...document,
  segments: document.segments.map((s): Segment => ({
    ...s,
    lines: s.lines.map((line, i) =>
      i === 0
        ? { ...line, words: line.words.map((w, j) => (j === 0 ? { ...w, text: word } : w)) }
        : line,
    ),
  })),
});

const benchmark: Benchmark = {
  name: 'transcript-edit',
  description:
    'GET and PATCH of a 3-hour transcript through the API: the event loop held, old way against new',
  async run(options) {
    const runs = numberOption(options, 'runs', 5);
    const words = numberOption(options, 'words', 32_400);
    const rng = seededRandom(14);
    const document = syntheticDocument({
      wordCount: words,
      nextWord: () => vocabulary[Math.floor(rng() * vocabulary.length)]!,
      rng,
      stepMs: Math.floor(DURATION_MS / words),
      durationMs: DURATION_MS,
      flags: true,
      pauseAfterSegment: true,
    });
    const work = await mkdtemp(path.join(tmpdir(), 'studio-transcript-edit-'));
    const engine = createEngine({ dataDir: path.join(work, 'data') });
    const app = await buildApp({ engine });
    try {
      const headers = {
        authorization: `Bearer ${engine.tokens.sessionToken(['admin'])}`,
        'content-type': 'application/json',
      };
      const media = engine.repos.media.insert({
        path: path.join(work, 'three-hours.wav'),
        name: 'three-hours.wav',
        sizeBytes: 1,
        durationSec: DURATION_MS / 1000,
        container: 'wav',
        audioCodec: 'pcm_s16le',
        sampleRate: 16000,
        channels: 1,
        hasVideo: false,
      });
      const repo = engine.repos.transcripts;
      const insert = () =>
        repo.insert({ mediaId: media.id, modelId: null, language: 'en', document });
      const edits = {
        notes: (i: number) => ({ ...document, notes: [`Checked ${i}.`] }),
        all: (i: number) => everySegment(document, `edit${i}`),
      };
      const figures: Record<string, number | string> = {
        words,
        segments: document.segments.length,
        document_mb: round(JSON.stringify(document).length / 1e6, 2),
        runs,
      };

      // Old: the synchronous steps of the old handlers, timed.
      log('old way');
      const oldGet: number[] = [];
      const oldPatch: Record<string, number[]> = { notes: [], all: [] };
      const oldSteps: Record<string, number[]> = {};
      const step = <T>(name: string, fn: () => T): T => {
        const t0 = performance.now();
        const result = fn();
        (oldSteps[name] ??= []).push(performance.now() - t0);
        return result;
      };
      for (let i = 0; i < runs; i += 1) {
        const stored = insert();
        const t0 = performance.now();
        const record = step('get_read', () => repo.get(stored.id)!);
        step('get_answer_json', () => JSON.stringify({ ...record }));
        oldGet.push(performance.now() - t0);
        let version = stored.version;
        for (const [kind, edit] of Object.entries(edits)) {
          const body = JSON.stringify({ version, document: edit(i) });
          const parsed = step(`patch_${kind}_json_parse`, (): unknown => JSON.parse(body));
          const valid = step(`patch_${kind}_contract`, () => patchTranscriptBody.parse(parsed));
          step(`patch_${kind}_invariants`, () => checkInvariants(valid.document));
          const saved = step(`patch_${kind}_update`, () =>
            repo.update(stored.id, version, valid.document),
          );
          step(`patch_${kind}_answer_json`, () => JSON.stringify(saved));
          version = saved.version;
          const names = Object.keys(oldSteps).filter((n) => n.startsWith(`patch_${kind}_`));
          oldPatch[kind]!.push(Math.max(...names.map((n) => oldSteps[n]!.at(-1)!)));
        }
      }
      for (const [name, times] of Object.entries(oldSteps)) {
        figures[`old_${name}_ms`] = round(percentile(times, 50));
      }
      figures.old_get_longest_step_ms = round(
        Math.max(...oldSteps.get_read!, ...oldSteps.get_answer_json!),
      );
      figures.old_get_total_p50_ms = round(percentile(oldGet, 50));
      for (const kind of Object.keys(edits)) {
        figures[`old_patch_${kind}_longest_step_ms`] = round(Math.max(...oldPatch[kind]!));
      }

      // New: the requests through the API.
      log('new way');
      const newFigures: Record<string, { lag: number[]; hist: number[]; wall: number[] }> = {};
      const record = (name: string, lag: number, hist: number, wall: number) => {
        const f = (newFigures[name] ??= { lag: [], hist: [], wall: [] });
        f.lag.push(lag);
        f.hist.push(hist);
        f.wall.push(wall);
      };
      // One untimed round first: the worker thread's start and statements' first use.
      for (let i = -1; i < runs; i += 1) {
        const stored = insert();
        const t0 = performance.now();
        const get = await watched(() =>
          app.inject({ url: `/v1/transcripts/${stored.id}`, headers }),
        );
        if (get.result.statusCode !== 200) throw new Error(`GET answered ${get.result.statusCode}`);
        if (i >= 0) record('get', get.lagMs, get.histMs, performance.now() - t0);
        let version = stored.version;
        for (const [kind, edit] of Object.entries(edits)) {
          const payload = JSON.stringify({ version, document: edit(i) });
          const t1 = performance.now();
          const patch = await watched(() =>
            app.inject({ method: 'PATCH', url: `/v1/transcripts/${stored.id}`, headers, payload }),
          );
          if (patch.result.statusCode !== 200) {
            throw new Error(
              `PATCH answered ${patch.result.statusCode}: ${patch.result.body.slice(0, 200)}`,
            );
          }
          if (i >= 0) record(`patch_${kind}`, patch.lagMs, patch.histMs, performance.now() - t1);
          version += 1;
        }
      }
      for (const [name, f] of Object.entries(newFigures)) {
        figures[`new_${name}_max_block_ms`] = round(Math.max(...f.lag));
        figures[`new_${name}_max_block_p50_ms`] = round(percentile(f.lag, 50));
        figures[`new_${name}_histogram_max_ms`] = round(Math.max(...f.hist));
        figures[`new_${name}_wall_p50_ms`] = round(percentile(f.wall, 50));
      }
      return figures;
    } finally {
      await app.close();
      await engine.shutdown();
      await rm(work, { recursive: true, force: true });
    }
  },
};

export default benchmark;
