/**
 * The lint rule that keeps native code out of the engine's process (eslint.config.js): the
 * whisper addon, the native worker runtimes and sherpa-onnx may be value-imported only by
 * worker-side files and tests; type imports are fine anywhere.
 */
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('native imports', () => {
  it('are refused in the engine, API and CLI, except as types', async () => {
    const value =
      "import { detectSpeech } from '../whisper/addon';\nexport const d = detectSpeech;\n";
    expect(await restricted('src-main/engine/vad/example.ts', value)).toHaveLength(1);
    expect(
      await restricted(
        'src-main/api/example.ts',
        "import { nativeOps } from '../engine/pool/native-runtime';\nimport sherpa from 'sherpa-onnx-node';\nexport const x = [nativeOps, sherpa];\n",
      ),
    ).toHaveLength(2);
    expect(
      await restricted(
        'src-main/engine/vad/example.ts',
        "import type { SpeechDetection } from '../whisper/addon';\nexport type D = SpeechDetection;\n",
      ),
    ).toEqual([]);
  });

  it('are allowed in worker entries and runtimes', async () => {
    const code =
      "import { detectSpeech } from '../whisper/addon';\nexport const d = detectSpeech;\n";
    expect(await restricted('src-main/engine/pool/native-runtime.ts', code)).toEqual([]);
    expect(await restricted('src-main/engine/speakers/speaker-ops.ts', code)).toEqual([]);
  });
});
