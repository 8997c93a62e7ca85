/**
 * Builds whisper.cpp's own `whisper-cli` from the whisper.cpp tree that the pinned
 * `nodejs-whisper` package ships (node_modules/nodejs-whisper/cpp/whisper.cpp), with
 * whisper.cpp's own CMake. It is the correctness oracle for our addon and a benchmark
 * baseline: a test and benchmark tool only, never shipped with the app.
 *
 * The build goes to `<repo>/.cache/whisper-cli-build/` (git-ignored). A stamp file records
 * what was built from what; when it matches and the binary exists, `ensureWhisperCli()`
 * returns at once without running CMake, so tests and benchmarks can call it freely.
 *
 * Concurrency: vitest runs test files in parallel processes, so the build holds a lock
 * directory; a second caller waits for the first and then reads its stamp.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../errors';

/** The repository root (this file lives in src-main/engine/whisper/oracle/). */
export const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

/** The whisper.cpp source tree inside the pinned npm package. */
export const whisperCppSourceDir = join(
  repoRoot,
  'node_modules',
  'nodejs-whisper',
  'cpp',
  'whisper.cpp',
);

export interface BuildWhisperCliOptions {
  /**
   * Where the CMake build tree goes.
   * @default `<repo>/.cache/whisper-cli-build`
   */
  buildDir?: string;
  /**
   * whisper.cpp source tree.
   * @default {@link whisperCppSourceDir}
   */
  sourceDir?: string;
  /**
   * Parallel compile jobs.
   * @default the number of available CPU cores
   */
  jobs?: number;
  /**
   * Called with each line CMake and the compiler print (the build is silent otherwise).
   * @default no logging
   */
  log?: (line: string) => void;
  /** Stops a running build (the CMake process gets SIGTERM). */
  signal?: AbortSignal;
}

export interface WhisperCliBuild {
  /** Absolute path of the `whisper-cli` executable. */
  binary: string;
  /** True when this call ran CMake; false when the stamp said the build was up to date. */
  built: boolean;
  /** Wall time of this call in milliseconds. */
  wallMs: number;
}

/**
 * CMake cache settings: Release, static libraries, tuned for this CPU (GGML_NATIVE), the
 * examples on (whisper-cli is one) but the server and tests off. Only the `whisper-cli`
 * target is compiled. CUDA, Vulkan, Metal and BLAS stay at whisper.cpp's defaults (off), so
 * the oracle is a plain CPU build: compare it against a CPU build of the addon.
 */
export const whisperCliCmakeDefines: Readonly<Record<string, string>> = {
  CMAKE_BUILD_TYPE: 'Release',
  BUILD_SHARED_LIBS: 'OFF',
  GGML_NATIVE: 'ON',
  WHISPER_BUILD_EXAMPLES: 'ON',
  WHISPER_BUILD_SERVER: 'OFF',
  WHISPER_BUILD_TESTS: 'OFF',
  WHISPER_SDL2: 'OFF',
  WHISPER_CURL: 'OFF',
  WHISPER_COMMON_FFMPEG: 'OFF',
  WHISPER_ALL_WARNINGS: 'OFF',
};

/** Bumped when the way we build changes in a way the defines above do not show. */
const BUILD_RECIPE_VERSION = 1;

const STAMP_NAME = 'whisper-cli.stamp.json';
const LOCK_NAME = 'build.lock';

interface Stamp {
  key: string;
  binary: string;
  builtAt: string;
  buildMs: number;
}

function defaultBuildDir(): string {
  return join(repoRoot, '.cache', 'whisper-cli-build');
}

/**
 * What the build depends on: the whisper.cpp version (the npm package is pinned, and its
 * top-level CMakeLists.txt names the version), the CMake settings and this recipe.
 */
function buildKey(sourceDir: string): string {
  const hash = createHash('sha256');
  hash.update(`recipe ${BUILD_RECIPE_VERSION}\n`);
  hash.update(`source ${sourceDir}\n`);
  hash.update(readFileSync(join(sourceDir, 'CMakeLists.txt')));
  const pkg = join(sourceDir, '..', '..', 'package.json');
  if (existsSync(pkg)) hash.update(readFileSync(pkg));
  hash.update(JSON.stringify(whisperCliCmakeDefines));
  return hash.digest('hex');
}

function binaryPath(buildDir: string): string {
  return join(buildDir, 'bin', process.platform === 'win32' ? 'whisper-cli.exe' : 'whisper-cli');
}

async function readStamp(buildDir: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(join(buildDir, STAMP_NAME), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function isUpToDate(stamp: Stamp | undefined, key: string): stamp is Stamp {
  if (!stamp || stamp.key !== key) return false;
  try {
    return statSync(stamp.binary).isFile();
  } catch {
    return false;
  }
}

/** Runs a command, streaming its output lines to `log`; keeps the tail for the error. */
function runStep(
  command: string,
  args: string[],
  options: { cwd: string; log?: (line: string) => void; signal?: AbortSignal },
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        options.log?.(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        missing
          ? new EngineError(
              'NOT_FOUND',
              `${command} is not installed; install CMake 3.14+ and a C++17 compiler to build whisper-cli.`,
              { cause: error },
            )
          : new Error(`Could not start ${command}: ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (pending) tail.push(pending);
      if (options.signal?.aborted) {
        reject(new EngineError('CANCELLED', 'The whisper-cli build was cancelled.'));
      } else if (code === 0) {
        resolvePromise();
      } else {
        // A tool failure, not an engine condition: no registry code fits, so a plain Error
        // with the tail of the compiler output (what a developer needs to fix it).
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`,
          ),
        );
      }
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the build lock (a directory, created atomically). A lock whose owner process is
 * gone is removed. Returns a release function.
 */
async function acquireLock(buildDir: string, signal?: AbortSignal): Promise<() => Promise<void>> {
  const lockDir = join(buildDir, LOCK_NAME);
  const ownerFile = join(lockDir, 'pid');
  for (;;) {
    if (signal?.aborted) throw new EngineError('CANCELLED', 'The whisper-cli build was cancelled.');
    try {
      await mkdir(lockDir);
      await writeFile(ownerFile, String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(ownerFile, 'utf8').catch(() => ''), 10);
    if (Number.isFinite(owner) && owner > 0 && !isAlive(owner)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Builds `whisper-cli` if the stamp says it is missing or stale, and returns its path.
 * Up to date, it costs a stat and a small file read (well under a second). The first build
 * compiles ggml and whisper for this CPU: several minutes on 2 cores.
 */
export async function buildWhisperCli(
  options: BuildWhisperCliOptions = {},
): Promise<WhisperCliBuild> {
  const started = performance.now();
  const sourceDir = options.sourceDir ?? whisperCppSourceDir;
  const buildDir = options.buildDir ?? defaultBuildDir();
  if (!existsSync(join(sourceDir, 'CMakeLists.txt'))) {
    throw new EngineError(
      'NOT_FOUND',
      `The whisper.cpp source tree is missing at ${sourceDir}; run npm install (nodejs-whisper ships it).`,
      { details: { path: sourceDir } },
    );
  }
  const key = buildKey(sourceDir);
  const fresh = await readStamp(buildDir);
  if (isUpToDate(fresh, key)) {
    return { binary: fresh.binary, built: false, wallMs: performance.now() - started };
  }

  await mkdir(buildDir, { recursive: true });
  const release = await acquireLock(buildDir, options.signal);
  try {
    // Another process may have finished the build while we waited for the lock.
    const after = await readStamp(buildDir);
    if (isUpToDate(after, key)) {
      return { binary: after.binary, built: false, wallMs: performance.now() - started };
    }
    await rm(join(buildDir, STAMP_NAME), { force: true });
    const buildStarted = performance.now();
    const defines = Object.entries(whisperCliCmakeDefines).map(([k, v]) => `-D${k}=${v}`);
    const generator = (await hasNinja()) ? ['-G', 'Ninja'] : [];
    await runStep('cmake', ['-S', sourceDir, '-B', buildDir, ...generator, ...defines], {
      cwd: repoRoot,
      log: options.log,
      signal: options.signal,
    });
    const jobs = options.jobs ?? availableParallelism();
    await runStep(
      'cmake',
      ['--build', buildDir, '--config', 'Release', '--target', 'whisper-cli', '-j', String(jobs)],
      { cwd: repoRoot, log: options.log, signal: options.signal },
    );
    const binary = binaryPath(buildDir);
    if (!existsSync(binary)) {
      throw new EngineError(
        'NOT_FOUND',
        `The whisper-cli build finished but ${binary} does not exist.`,
        { details: { path: binary } },
      );
    }
    const stamp: Stamp = {
      key,
      binary,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - buildStarted),
    };
    await writeFile(join(buildDir, STAMP_NAME), `${JSON.stringify(stamp, null, 2)}\n`);
    return { binary, built: true, wallMs: performance.now() - started };
  } finally {
    await release();
  }
}

let ninja: Promise<boolean> | undefined;

/** Ninja is faster to drive than Make; fall back to CMake's default generator without it. */
function hasNinja(): Promise<boolean> {
  ninja ??= new Promise((resolvePromise) => {
    const child = spawn('ninja', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolvePromise(false));
    child.on('close', (code) => resolvePromise(code === 0));
  });
  return ninja;
}

/**
 * The path of an up-to-date `whisper-cli`, building it first when needed. For tests and
 * benchmarks: give the first call a long timeout (the first build takes minutes).
 */
export async function ensureWhisperCli(options: BuildWhisperCliOptions = {}): Promise<string> {
  return (await buildWhisperCli(options)).binary;
}
