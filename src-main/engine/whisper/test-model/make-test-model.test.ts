import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isEngineError } from '../../errors';
import { GGML_TYPE_F16, GGML_TYPE_F32, parseHeader } from './ggml-format';
import {
  defaultTemplateDir,
  ensureTestModel,
  makeTestModel,
  templateFileName,
  testModelByteSize,
  type TestModelSize,
} from './make-test-model';

const work = mkdtempSync(join(tmpdir(), 'test-model-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * The file size worked out independently from whisper.cpp's loader (whisper_model_load):
 * the template's header/filters/vocabulary, then per tensor 12 bytes + 4 per dim + name +
 * data, with f16 (2 bytes) for the matrices and conv kernels and f32 (4) for the rest.
 */
function expectedBytes(size: TestModelSize, english: boolean): number {
  const template = readFileSync(join(defaultTemplateDir(), templateFileName(size, english)));
  const { hparams: h } = parseHeader(template);
  const a = h.nAudioState;
  const t = h.nTextState;
  const records: [name: string, dims: number[], bytesPerElement: number][] = [
    ['encoder.positional_embedding', [a, h.nAudioCtx], 4],
    ['encoder.conv1.weight', [3, h.nMels, a], 2],
    ['encoder.conv1.bias', [1, a], 4],
    ['encoder.conv2.weight', [3, a, a], 2],
    ['encoder.conv2.bias', [1, a], 4],
    ['encoder.ln_post.weight', [a], 4],
    ['encoder.ln_post.bias', [a], 4],
    ['decoder.positional_embedding', [t, h.nTextCtx], 4],
    ['decoder.token_embedding.weight', [t, h.nVocab], 2],
    ['decoder.ln.weight', [t], 4],
    ['decoder.ln.bias', [t], 4],
  ];
  const block = (prefix: string, n: number, cross: boolean) => {
    const parts: [string, number[], number][] = [
      ['mlp_ln.weight', [n], 4],
      ['mlp_ln.bias', [n], 4],
      ['mlp.0.weight', [n, 4 * n], 2],
      ['mlp.0.bias', [4 * n], 4],
      ['mlp.2.weight', [4 * n, n], 2],
      ['mlp.2.bias', [n], 4],
    ];
    for (const attn of cross ? ['attn', 'cross_attn'] : ['attn']) {
      parts.push(
        [`${attn}_ln.weight`, [n], 4],
        [`${attn}_ln.bias`, [n], 4],
        [`${attn}.query.weight`, [n, n], 2],
        [`${attn}.query.bias`, [n], 4],
        [`${attn}.key.weight`, [n, n], 2],
        [`${attn}.value.weight`, [n, n], 2],
        [`${attn}.value.bias`, [n], 4],
        [`${attn}.out.weight`, [n, n], 2],
        [`${attn}.out.bias`, [n], 4],
      );
    }
    for (const [name, dims, bpe] of parts) records.push([`${prefix}.${name}`, dims, bpe]);
  };
  for (let i = 0; i < h.nAudioLayer; i++) block(`encoder.blocks.${i}`, a, false);
  for (let i = 0; i < h.nTextLayer; i++) block(`decoder.blocks.${i}`, t, true);
  expect(records).toHaveLength(7 + 15 * h.nAudioLayer + 4 + 24 * h.nTextLayer);
  return records.reduce(
    (sum, [name, dims, bpe]) =>
      sum + 12 + 4 * dims.length + name.length + bpe * dims.reduce((x, y) => x * y, 1),
    template.length,
  );
}

/** Reads back every tensor record of a model file: name, dims and type. */
function readRecords(path: string) {
  const file = readFileSync(path);
  let offset = parseHeader(file).prefixBytes;
  const records: { name: string; ne: number[]; type: number; data: Buffer }[] = [];
  while (offset < file.length) {
    const nDims = file.readInt32LE(offset);
    const nameLength = file.readInt32LE(offset + 4);
    const type = file.readInt32LE(offset + 8);
    offset += 12;
    const ne = Array.from({ length: nDims }, (_, i) => file.readInt32LE(offset + 4 * i));
    offset += 4 * nDims;
    const name = file.toString('utf8', offset, offset + nameLength);
    offset += nameLength;
    const bytes = ne.reduce((x, y) => x * y, 1) * (type === GGML_TYPE_F16 ? 2 : 4);
    records.push({ name, ne, type, data: file.subarray(offset, offset + bytes) });
    offset += bytes;
  }
  expect(offset).toBe(file.length);
  return records;
}

describe('makeTestModel', () => {
  it('writes tiny.en at the size its shapes give (77.7 MB), header and vocabulary copied', async () => {
    const out = join(work, 'tiny.en.bin');
    const started = performance.now();
    const model = await makeTestModel({ size: 'tiny', out });
    const seconds = (performance.now() - started) / 1000;
    expect(model.bytes).toBe(expectedBytes('tiny', true));
    expect(model.bytes).toBe(77_705_316);
    expect(statSync(out).size).toBe(model.bytes);
    expect(model.sha256).toBe(sha256(out));
    expect(seconds).toBeLessThan(30); // about 0.6 s on an idle 2-core machine

    const template = readFileSync(join(defaultTemplateDir(), 'for-tests-ggml-tiny.en.bin'));
    expect(readFileSync(out).subarray(0, template.length).equals(template)).toBe(true);

    const records = readRecords(out);
    expect(records).toHaveLength(167);
    const byName = new Map(records.map((r) => [r.name, r]));
    expect(byName.get('decoder.token_embedding.weight')).toMatchObject({
      ne: [384, 51864],
      type: GGML_TYPE_F16,
    });
    expect(byName.get('encoder.conv1.weight')).toMatchObject({
      ne: [3, 80, 384],
      type: GGML_TYPE_F16,
    });
    expect(byName.get('encoder.conv1.bias')).toMatchObject({ ne: [1, 384], type: GGML_TYPE_F32 });
    expect(byName.get('decoder.blocks.3.cross_attn.out.bias')?.type).toBe(GGML_TYPE_F32);
    // Layer-norm gains are 1, biases 0, and the f16 weights are finite and small.
    const gain = byName.get('encoder.blocks.0.attn_ln.weight')!.data;
    expect(
      new Float32Array(gain.buffer.slice(gain.byteOffset, gain.byteOffset + gain.length)),
    ).toEqual(new Float32Array(384).fill(1));
    const weights = byName.get('decoder.blocks.0.mlp.0.weight')!.data;
    let max = 0;
    for (let i = 0; i < weights.length; i += 2) {
      const exponent = (weights.readUInt16LE(i) >> 10) & 0x1f;
      expect(exponent).toBeLessThan(0x1f); // not inf or NaN
      max = Math.max(max, exponent);
    }
    expect(max).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs for another seed', async () => {
    const a = await makeTestModel({ size: 'tiny', out: join(work, 'a.bin'), seed: 7 });
    const b = await makeTestModel({ size: 'tiny', out: join(work, 'b.bin'), seed: 7 });
    const c = await makeTestModel({ size: 'tiny', out: join(work, 'c.bin'), seed: 8 });
    expect(a.sha256).toBe(b.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    expect(c.bytes).toBe(a.bytes);
  });

  it.each([
    ['base', true],
    ['small', true],
    ['tiny', false],
    ['base', false],
    ['small', false],
  ] as const)('knows the exact size of %s (english: %s) from the shapes', async (size, english) => {
    expect(await testModelByteSize(size, { english })).toBe(expectedBytes(size, english));
  });

  it('writes multilingual base at its exact size', async () => {
    const model = await makeTestModel({
      size: 'base',
      english: false,
      out: join(work, 'base.bin'),
    });
    expect(model.bytes).toBe(expectedBytes('base', false));
    expect(readRecords(model.path)).toHaveLength(7 + 15 * 6 + 4 + 24 * 6);
    rmSync(model.path);
  });

  it('refuses an unknown size, a bad seed and an unwritable path with clear messages', async () => {
    await expect(
      makeTestModel({ size: 'huge' as TestModelSize, out: join(work, 'x.bin') }),
    ).rejects.toThrow(/Unknown test model size "huge"; choose one of tiny, base, small/);
    await expect(
      makeTestModel({ size: 'tiny', out: join(work, 'x.bin'), seed: -1 }),
    ).rejects.toThrow(/seed must be a whole number/);
    const error = await makeTestModel({
      size: 'tiny',
      out: join(work, 'a.bin', 'sub', 'm.bin'),
    }).catch((e: unknown) => e);
    expect(isEngineError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(
      /Cannot write the model file .*m\.bin: .*Choose another/,
    );
    await expect(makeTestModel({ size: 'tiny', out: work })).rejects.toThrow(/it is a folder/);
  });

  it('stops when cancelled and leaves no partial file', async () => {
    const controller = new AbortController();
    controller.abort();
    const out = join(work, 'cancelled.bin');
    await expect(makeTestModel({ size: 'tiny', out, signal: controller.signal })).rejects.toThrow(
      /cancelled/,
    );
    expect(() => statSync(out)).toThrow();
  });
});

describe('ensureTestModel', () => {
  it('generates once, then reuses the cached file; regenerates a corrupt one', async () => {
    const cacheDir = join(work, 'cache');
    const first = await ensureTestModel('tiny', 3, { cacheDir });
    const mtime = statSync(first.path).mtimeMs;
    const started = performance.now();
    const second = await ensureTestModel('tiny', 3, { cacheDir });
    expect(performance.now() - started).toBeLessThan(500);
    expect(second).toEqual(first);
    expect(statSync(second.path).mtimeMs).toBe(mtime);

    truncateSync(first.path, 1000);
    const repaired = await ensureTestModel('tiny', 3, { cacheDir });
    expect(repaired.sha256).toBe(first.sha256);
    expect(statSync(repaired.path).size).toBe(first.bytes);
    expect(sha256(repaired.path)).toBe(first.sha256);

    const other = await ensureTestModel('tiny', 4, { cacheDir });
    expect(other.path).not.toBe(first.path);
    expect(other.sha256).not.toBe(first.sha256);
  });
});
