import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerMakeTestModelCommand } from './make-test-model';

const work = mkdtempSync(join(tmpdir(), 'make-test-model-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `studio make-test-model ...` in-process and returns what it printed. */
async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerMakeTestModelCommand(program);
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  await program.parseAsync(['make-test-model', ...args], { from: 'user' });
  return stdout;
}

describe('make-test-model command', () => {
  it('writes the model and prints its path, size and sha256', async () => {
    const out = join(work, 'nested', 'tiny.bin');
    const printed = JSON.parse(
      await run(['--size', 'tiny', '--out', out, '--seed', '2']),
    ) as Record<string, unknown>;
    expect(printed).toMatchObject({ path: out, bytes: 77_705_316, size: 'tiny.en', seed: 2 });
    expect(printed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(out).size).toBe(77_705_316);
  });

  it('writes the multilingual header with --multilingual', async () => {
    const out = join(work, 'tiny-ml.bin');
    const printed = JSON.parse(await run(['--size', 'tiny', '--out', out, '--multilingual'])) as {
      size: string;
      bytes: number;
    };
    expect(printed.size).toBe('tiny');
    expect(printed.bytes).toBe(statSync(out).size);
  });

  it('rejects a bad size, a bad seed and an unwritable path with one clear message', async () => {
    await expect(run(['--size', 'huge', '--out', join(work, 'x.bin')])).rejects.toThrow(
      'Unknown size "huge"; choose one of tiny, base, small.',
    );
    await expect(
      run(['--size', 'tiny', '--out', join(work, 'x.bin'), '--seed', '1.5']),
    ).rejects.toThrow(/--seed must be a whole number/);
    await expect(run(['--size', 'tiny', '--out', work])).rejects.toThrow(
      /Cannot write the model file .*: it is a folder/,
    );
  });
});
