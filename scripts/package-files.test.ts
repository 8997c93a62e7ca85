/**
 * What `npm pack` puts in the package that `npm install -g <tarball>` installs (the `studio`
 * command; `install` builds the native addon there): the CLI's sources and bin, the native
 * addon's sources and build script, the catalog and the built UI — no tests, test data or
 * model weights. Checked with npm itself (`--dry-run`, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = join(import.meta.dirname, '..');
const packed = z.array(z.object({ files: z.array(z.object({ path: z.string() })) }));

describe('the npm package', () => {
  it('holds what the studio command needs and nothing for development', () => {
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const [pack] = packed.parse(JSON.parse(result.stdout));
    const files = (pack?.files ?? []).map((f) => f.path);
    for (const needed of [
      'package.json',
      'bin/studio.js',
      'src-main/cli/main.ts',
      'src-main/engine/pool/worker-entry.ts',
      'native/CMakeLists.txt',
      'scripts/build-native.ts',
      'models/catalog.json',
    ]) {
      expect(files, needed).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('native/src/'))).toBe(true);
    const unwanted = files.filter((f) =>
      /\.test\.tsx?$|^test-data\/|^e2e\/|^native\/build|\.(bin|onnx|gguf|node)$/.test(f),
    );
    expect(unwanted).toEqual([]);
  }, 60_000);
});
