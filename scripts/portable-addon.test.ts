/**
 * The portable native addon that the installers ship (`npm run build:native -- --dist`, in
 * native/build-dist/): built without host-specific CPU flags, it loads in a real whisper worker
 * process (the pool's worker-entry.ts, told to use it by STUDIO_WHISPER_ADDON), picks a ggml CPU
 * variant at run time and transcribes (whisper.cpp's weightless tiny.en on real speech).
 *
 * The portable build takes many minutes (a dozen CPU variants), so `npm test` does not make it:
 * this file runs when native/build-dist holds a build and is skipped otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWhisperPool, type WhisperPool } from '../src-main/engine/pool/pool';
import { forkNodeWorkers, type SpawnWorker } from '../src-main/engine/pool/worker-process';
import {
  readWav16kMono,
  speech,
  testModels,
} from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';

const root = resolve(import.meta.dirname, '..');
const buildDir = join(root, 'native', 'build-dist');
const addon = join(buildDir, 'Release', 'studio_whisper.node');
const built = existsSync(addon);

let pool: WhisperPool | undefined;
afterAll(() => pool?.close());

describe.runIf(built)('the portable addon (native/build-dist)', () => {
  it('was configured without host-specific CPU flags, with every CPU variant', () => {
    const cache = readFileSync(join(buildDir, 'CMakeCache.txt'), 'utf8');
    expect(cache).toMatch(/^GGML_NATIVE:BOOL=OFF$/m);
    expect(cache).toMatch(/^GGML_CPU_ALL_VARIANTS:BOOL=ON$/m);
    expect(cache).toMatch(/^GGML_BACKEND_DL:BOOL=ON$/m);
    const commands = JSON.parse(readFileSync(join(buildDir, 'compile_commands.json'), 'utf8')) as {
      command?: string;
      arguments?: string[];
    }[];
    expect(commands.length).toBeGreaterThan(10);
    const native = commands.filter((c) =>
      /-m(arch|tune|cpu)=native\b/.test(c.command ?? (c.arguments ?? []).join(' ')),
    );
    expect(native).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'needs no shared library beyond its own and the C/C++ runtime (no OpenMP runtime)',
    () => {
      const dir = join(buildDir, 'Release');
      const own = new Set(readdirSync(dir));
      const runtime =
        /^(libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|ld-linux[\w.-]*\.so\.\d)$/;
      const foreign: string[] = [];
      for (const file of own) {
        if (!/\.(node|so)$/.test(file)) continue;
        const dynamic = spawnSync('readelf', ['-d', join(dir, file)], { encoding: 'utf8' });
        expect(dynamic.status, dynamic.stderr).toBe(0);
        for (const [, needed] of dynamic.stdout.matchAll(
          /\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g,
        )) {
          if (needed && !own.has(needed) && !runtime.test(needed))
            foreign.push(`${file} → ${needed}`);
        }
      }
      expect(foreign).toEqual([]);
    },
  );

  it('loads in a whisper worker process, picks a CPU variant at run time and transcribes', async () => {
    const pids: number[] = [];
    const fork = forkNodeWorkers(undefined, { ...process.env, STUDIO_WHISPER_ADDON: addon });
    const spawnWorker: SpawnWorker = (id) => {
      const worker = fork(id);
      if (worker.pid !== undefined) pids.push(worker.pid);
      return worker;
    };
    pool = createWhisperPool({ spawnWorker, workers: 1, cancelGraceMs: 2000 });
    const done = await pool.submit({
      lane: 'interactive',
      model: { path: testModels.tinyEn, memoryBytes: 100 * 1024 ** 2, useGpu: false },
      pcm: readWav16kMono(speech.jfk),
      params: { threads: 2, language: 'en' },
    });
    expect(done.result).toMatchObject({ segments: expect.any(Array), language: 'en' });
    expect(done.ranOn).toMatchObject({ device: 'cpu', loadedModel: true });
    if (process.platform === 'linux') {
      // What the worker has mapped: this build's addon and one of its CPU variants.
      const maps = readFileSync(`/proc/${pids[0]}/maps`, 'utf8');
      expect(maps).toContain(addon);
      expect(maps).toMatch(/native\/build-dist\/Release\/libggml-cpu-[\w-]+\.so/);
    }
  }, 120_000);
});
