/**
 * The rule "one way to run a process": outside tests, only run-process.ts starts programs, and
 * the worker pool forks its own worker processes (a different thing: Node workers with IPC).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const srcMain = path.resolve(import.meta.dirname, '..', '..');

/** May import node:child_process; everything else runs programs through run-process.ts. */
const allowed = new Set([
  'engine/process/run-process.ts',
  'engine/pool/worker-process.ts',
  // Test helpers: they set up and watch tests, they are not the engine.
  'api/hostile/sentinel.ts',
]);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts)$/.test(e.name))
    .map((e) => path.relative(srcMain, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

describe('one way to run a process', () => {
  it('no engine, API, CLI or app code outside run-process.ts uses child_process or fluent-ffmpeg', async () => {
    const files = (await sourceFiles(srcMain)).filter(
      (file) => !/\.test\.tsx?$/.test(file) && !file.split('/').includes('__fixtures__'),
    );
    expect(files).toContain('engine/process/run-process.ts');
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(srcMain, file), 'utf8');
      if (/from ['"]fluent-ffmpeg['"]/.test(text)) offenders.push(`${file} (fluent-ffmpeg)`);
      if (/from ['"](node:)?child_process['"]|import\(['"](node:)?child_process['"]\)/.test(text)) {
        if (!allowed.has(file)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });
});
