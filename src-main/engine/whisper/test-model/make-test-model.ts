/**
 * Synthetic Whisper models for tests and benchmarks.
 *
 * No real Whisper weights can be downloaded on the machines this project is built on, so
 * tests that run whisper.cpp for real use a model file of the true size and shapes with
 * random weights: its text is meaningless, but its load path, memory and compute cost are
 * those of a real model, and its output depends on the audio (so a wrong mel, a wrong
 * sample offset or a wrong decoding parameter changes the text and is caught by comparing
 * against whisper.cpp's own whisper-cli).
 *
 * The header (hyper-parameters), mel filters and vocabulary are copied byte for byte from
 * `test-data/models/whisper-test/for-tests-ggml-<size>[.en].bin`. The project notes say
 * "real vocabulary taken from for-tests-ggml-tiny.en.bin"; the vocabulary and mel filters
 * are the same in every size, but the hyper-parameters are not, so each size takes the
 * header of its own file. Those files are "empty models": header, filters and vocabulary
 * but no tensors. After that prefix we write every tensor `whisper_model_load` expects
 * (names, shapes and f16/f32 types as it requires for the header's ftype, which is 1 = f16
 * in all of them; we keep it). See ggml-format.ts for the record layout.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EngineError, abortReason, diskError } from '../../errors';
import {
  bytesPerElement,
  elementCount,
  GGML_TYPE_F16,
  parseHeader,
  recordBytes,
  recordHeader,
  tensorSpecs,
  type TensorSpec,
  type WeightScales,
  type WhisperHparams,
} from './ggml-format';
import { float32ToFloat16, hashString, Xoshiro128 } from './random';

export const testModelSizes = ['tiny', 'base', 'small'] as const;
export type TestModelSize = (typeof testModelSizes)[number];

/** The repository root (this file lives in src-main/engine/whisper/test-model/). */
const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

/**
 * Where the `for-tests-ggml-*.bin` files live: `STUDIO_WHISPER_TEST_MODELS` or
 * `<repo>/test-data/models/whisper-test`.
 */
export function defaultTemplateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STUDIO_WHISPER_TEST_MODELS ?? join(repoRoot, 'test-data', 'models', 'whisper-test');
}

/** `<repo>/.cache/test-models` (git-ignored), shared by tests and benchmarks. */
export const defaultTestModelCacheDir = join(repoRoot, '.cache', 'test-models');

/**
 * The initialisation scales (see `tensorSpecs`), tuned with whisper-cli on tiny.en, base.en
 * and small.en and several seeds. Plain N(0, 0.02)-style weights are not enough: greedy
 * decoding then repeats one token for all 220 steps of a window, and the same token for every
 * recording, because
 * - the token embedding doubles as the output projection, so a residual stream that still
 *   carries the current token's embedding predicts that token again (hence a large MLP
 *   output in the decoder, which drowns that self-term in a token-dependent random vector);
 * - the decoder's self-attention is a running mean of the history, which changes slowly and
 *   pins the argmax (hence a small self-attention output);
 * - GELU outputs have a positive mean that becomes a constant vector pointing at one "hub"
 *   token (hence rows centred to sum to zero);
 * - conv outputs of a centred kernel on a log-mel patch are small next to the positions
 *   (hence the conv gain), and a diffuse cross-attention averages all 1500 frames away
 *   (hence sharper queries/keys), while a strong cross-attention output makes every step
 *   look alike again (hence 0.4).
 * With these values the output has varied tokens, timestamp tokens that cut it into
 * segments with times, an end-of-text, finite probabilities, and differs between
 * recordings (often after a shared first few tokens).
 */
export const testModelWeightScales: Readonly<WeightScales> = {
  gain: 1,
  convGain: 4,
  decoderSelfAttentionOutputGain: 0.1,
  decoderMlpOutputGain: 4,
  crossAttentionQueryKeyGain: 2,
  crossAttentionOutputGain: 0.4,
  encoderPositionScale: 0.1,
  decoderPositionStd: 0.5,
  tokenEmbeddingStd: 0.5,
};

/**
 * Bumped whenever the bytes written for a given size and seed change (scales, PRNG, layout),
 * so cached files from an older generator are not reused.
 */
export const TEST_MODEL_GENERATOR_VERSION = 1;

export interface MakeTestModelOptions {
  size: TestModelSize;
  /** Output file; parent folders are created. Written to a temporary name, then renamed. */
  out: string;
  /**
   * Seed of the pseudo-random weights: the same seed gives the same file, byte for byte.
   * @default 1
   */
  seed?: number;
  /**
   * English-only vocabulary and header (`tiny.en`) rather than the multilingual one.
   * @default true
   */
  english?: boolean;
  /**
   * Folder with the `for-tests-ggml-*.bin` header files.
   * @default defaultTemplateDir()
   */
  templateDir?: string;
  signal?: AbortSignal;
}

export interface TestModelFile {
  path: string;
  bytes: number;
  sha256: string;
}

export function isTestModelSize(value: unknown): value is TestModelSize {
  return typeof value === 'string' && (testModelSizes as readonly string[]).includes(value);
}

function checkSize(size: unknown): asserts size is TestModelSize {
  if (!isTestModelSize(size)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Unknown test model size "${String(size)}"; choose one of ${testModelSizes.join(', ')}.`,
      { details: { size, sizes: testModelSizes } },
    );
  }
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}; got ${seed}.`,
      { details: { seed } },
    );
  }
}

export function templateFileName(size: TestModelSize, english: boolean): string {
  return `for-tests-ggml-${size}${english ? '.en' : ''}.bin`;
}

interface Template {
  prefix: Buffer;
  hparams: WhisperHparams;
  specs: TensorSpec[];
  bytes: number;
}

async function loadTemplate(
  size: TestModelSize,
  english: boolean,
  templateDir: string,
): Promise<Template> {
  const path = join(templateDir, templateFileName(size, english));
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    throw new EngineError(
      'NOT_FOUND',
      `The whisper.cpp header file ${path} is missing; it comes with the shared test models (test-data/models/whisper-test).`,
      { cause: error, details: { path } },
    );
  }
  const { hparams, prefixBytes } = parseHeader(file);
  // Anything after the vocabulary (tensors of a real model) is dropped: we write our own.
  const prefix = file.subarray(0, prefixBytes);
  const specs = tensorSpecs(hparams, testModelWeightScales);
  const bytes = specs.reduce((sum, spec) => sum + recordBytes(spec), prefix.length);
  return { prefix, hparams, specs, bytes };
}

/**
 * The exact size in bytes of the file `makeTestModel` writes for this size: the template's
 * header, filters and vocabulary plus one record per tensor (3 + n_dims int32, the name,
 * then 2 bytes per f16 or 4 per f32 element).
 */
export async function testModelByteSize(
  size: TestModelSize,
  options: { english?: boolean; templateDir?: string } = {},
): Promise<number> {
  checkSize(size);
  const template = await loadTemplate(
    size,
    options.english ?? true,
    options.templateDir ?? defaultTemplateDir(),
  );
  return template.bytes;
}

/** Elements generated per step: 1 Mi values = 4 MiB of f32 scratch. */
const CHUNK = 1 << 20;

/**
 * Subtracts from each run of `row` elements its mean, so every row sums to zero: the output
 * of such a row ignores any constant part of its input (GELU's positive mean, the mel
 * level of silence), so silence gives zero and a constant does not steer the decoder.
 */
function centerRows(values: Float32Array, row: number): void {
  for (let start = 0; start + row <= values.length; start += row) {
    let sum = 0;
    for (let i = start; i < start + row; i++) sum += values[i]!;
    const mean = sum / row;
    for (let i = start; i < start + row; i++) values[i]! -= mean;
  }
}

/** Fills `out` with the values of elements [start, start + out.length) of a sinusoid table. */
function fillSinusoids(out: Float32Array, start: number, channels: number, scale: number): void {
  // Whisper's `sinusoids(length, channels)`: [sin(t·f_k) for k < C/2, cos(t·f_k) for k < C/2]
  // with f_k = 10000^(-k / (C/2 - 1)); row t is contiguous (ne[0] = channels).
  const half = channels / 2;
  const logIncrement = Math.log(10000) / (half - 1);
  for (let i = 0; i < out.length; i++) {
    const index = start + i;
    const t = Math.floor(index / channels);
    const c = index % channels;
    const k = c < half ? c : c - half;
    const angle = t * Math.exp(-logIncrement * k);
    out[i] = scale * (c < half ? Math.sin(angle) : Math.cos(angle));
  }
}

/**
 * Writes a synthetic whisper.cpp model file of the true size and shapes for `size`, with
 * deterministic pseudo-random weights from `seed`. Streams: memory use stays at a few MiB
 * whatever the size. The file appears at `out` only when complete (temporary name, then
 * rename), so a crash or cancel never leaves a truncated model behind.
 */
export async function makeTestModel(options: MakeTestModelOptions): Promise<TestModelFile> {
  const { size, out, seed = 1, english = true, signal } = options;
  checkSize(size);
  checkSeed(seed);
  const template = await loadTemplate(size, english, options.templateDir ?? defaultTemplateDir());
  const path = resolve(out);
  const temp = `${path}.${process.pid}.${Date.now()}.partial`;
  const hash = createHash('sha256');

  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Cannot write the model file ${path}: it is a folder. Give a file name.`,
      { details: { path } },
    );
  }
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw writeError(error, path);
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(temp, 'w');
  } catch (error) {
    throw writeError(error, path);
  }

  let written = 0;
  const write = async (data: Uint8Array) => {
    hash.update(data);
    await handle.write(data);
    written += data.length;
  };

  try {
    await write(template.prefix);
    const values = new Float32Array(CHUNK);
    const halves = new Uint16Array(CHUNK);
    for (const spec of template.specs) {
      if (signal?.aborted) throw abortReason(signal, 'Writing the test model');
      await write(recordHeader(spec));
      const total = elementCount(spec);
      const random = new Xoshiro128(seed, hashString(spec.name));
      const row = spec.ne[0]!;
      // Whole rows per chunk, so rows can be centred in place.
      const step = row <= CHUNK ? Math.floor(CHUNK / row) * row : CHUNK;
      for (let start = 0; start < total; start += step) {
        const n = Math.min(step, total - start);
        const chunk = values.subarray(0, n);
        switch (spec.init.kind) {
          case 'noise':
            random.fillUniform(chunk, spec.init.std);
            if (spec.init.centerRows) centerRows(chunk, row);
            break;
          case 'constant':
            chunk.fill(spec.init.value);
            break;
          case 'sinusoids':
            fillSinusoids(chunk, start, spec.ne[0]!, spec.init.scale);
            break;
        }
        if (spec.type === GGML_TYPE_F16) {
          const h = halves.subarray(0, n);
          float32ToFloat16(chunk, h);
          await write(new Uint8Array(h.buffer, h.byteOffset, n * bytesPerElement(spec.type)));
        } else {
          await write(new Uint8Array(chunk.buffer, chunk.byteOffset, n * 4));
        }
      }
    }
    await handle.close();
    if (written !== template.bytes) {
      throw new Error(`Internal error: wrote ${written} bytes, expected ${template.bytes}.`);
    }
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    if (error instanceof EngineError) throw error;
    throw writeError(error, path);
  }
  return { path, bytes: written, sha256: hash.digest('hex') };
}

/** Maps a file-system failure while writing `path` to an error that says what to do. */
function writeError(error: unknown, path: string): Error {
  const disk = diskError(error, path);
  if (disk) return disk;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    EISDIR: 'it is a folder',
    ENOTEMPTY: 'it is a folder',
    ENOTDIR: 'a parent path is a file, not a folder',
    ENOENT: 'its folder cannot be created',
  };
  const reason = code ? reasons[code] : undefined;
  if (reason) {
    return new EngineError(
      'INVALID_ARGUMENT',
      `Cannot write the model file ${path}: ${reason}. Choose another output path.`,
      { cause: error, details: { path } },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface EnsureTestModelOptions {
  /** @default true */
  english?: boolean;
  /** @default defaultTestModelCacheDir (`<repo>/.cache/test-models`) */
  cacheDir?: string;
  /** @default defaultTemplateDir() */
  templateDir?: string;
  signal?: AbortSignal;
}

/** Cache-key suffix: generator version and scales, so a change never reuses an old file. */
function generatorKey(): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: TEST_MODEL_GENERATOR_VERSION, s: testModelWeightScales }))
    .digest('hex')
    .slice(0, 10);
}

/** The file name a cached model gets: size, language, seed and generator key. */
export function testModelCacheName(size: TestModelSize, seed: number, english: boolean): string {
  return `ggml-${size}${english ? '.en' : ''}-seed${seed}-${generatorKey()}.bin`;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Returns a cached synthetic model for `size` and `seed`, generating it on first use (or
 * when the cached file is missing or has the wrong size). The sha256 is kept beside the
 * file (`.sha256`) so a cache hit reads no model bytes. Safe to call from several
 * processes at once: each writes to its own temporary name and the rename is atomic;
 * identical inputs give identical bytes.
 */
export async function ensureTestModel(
  size: TestModelSize,
  seed = 1,
  options: EnsureTestModelOptions = {},
): Promise<TestModelFile> {
  checkSize(size);
  checkSeed(seed);
  const english = options.english ?? true;
  const templateDir = options.templateDir ?? defaultTemplateDir();
  const cacheDir = options.cacheDir ?? defaultTestModelCacheDir;
  const path = join(cacheDir, testModelCacheName(size, seed, english));
  const shaPath = `${path}.sha256`;
  const expected = await testModelByteSize(size, { english, templateDir });

  const existing = await stat(path).catch(() => undefined);
  if (existing?.isFile() && existing.size === expected) {
    const stored = (await readFile(shaPath, 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{64}$/.test(stored)) return { path, bytes: expected, sha256: stored };
    const sha256 = await sha256File(path);
    await writeFile(shaPath, `${sha256}\n`);
    return { path, bytes: expected, sha256 };
  }

  await rm(shaPath, { force: true });
  const made = await makeTestModel({
    size,
    out: path,
    seed,
    english,
    templateDir,
    signal: options.signal,
  });
  await writeFile(shaPath, `${made.sha256}\n`);
  return made;
}
