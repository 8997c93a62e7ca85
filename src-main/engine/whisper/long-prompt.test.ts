/**
 * A long prompt given to the native addon directly, bypassing the TypeScript checks that cut it
 * (see prompt.ts): whisper.cpp's tokenizer matched it with std::regex, which recurses once per
 * character of a word, and looked each word up by trying every substring. A 40,000-letter prompt
 * overflowed the worker thread's stack (SIGSEGV, the whole worker process gone); 20,000 letters
 * took over a minute. The addon now tokenizes only the prompt's end, in short pieces.
 * Needs `npm run build:native`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const child = join(import.meta.dirname, '__fixtures__', 'raw-prompt.ts');

function run(...prompts: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, ...prompts], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  const times = Object.fromEntries(
    result.stdout
      .trim()
      .split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => line.split(' ') as [string, string])
      .map(([arg, ms]) => [arg, Number(ms)]),
  );
  return { status: result.status, signal: result.signal, stderr: result.stderr, times };
}

describe('the addon with a prompt far over the budget', () => {
  it('neither crashes nor stalls, whatever the prompt', () => {
    const { status, signal, stderr, times } = run(
      'words:2000',
      'run:40000',
      'run:20000',
      'words:40000',
    );
    expect({ status, signal }, stderr.slice(-2000)).toEqual({ status: 0, signal: null });
    // A prompt that fills the budget already: the decoder's cost of a full prompt is the same.
    const baseline = times['words:2000']!;
    for (const arg of ['run:40000', 'run:20000', 'words:40000']) {
      // One second of audio; the prompt may add tokenizing, not a minute.
      expect(times[arg], arg).toBeLessThan(baseline + 3000);
    }
  }, 250_000);
});
