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

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../errors';
import { runProcess, tailLines } from '../../process/run-process';

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
  /** Stops a running build (CMake gets SIGTERM, then SIGKILL after the grace period). */
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
async function runStep(
  command: string,
  args: string[],
  options: { cwd: string; log?: (line: string) => void; signal?: AbortSignal },
): Promise<void> {
  const { log } = options;
  const pending = { stdout: '', stderr: '' };
  await runProcess(command, args, {
    cwd: options.cwd,
    stdout: 'tail',
    stderrTailBytes: 16 * 1024,
    signal: options.signal,
    action: 'The whisper-cli build',
    onOutput: log
      ? (text, stream) => {
          const lines = (pending[stream] + text).split('\n');
          pending[stream] = lines.pop() ?? '';
          for (const line of lines) log(line);
        }
      : undefined,
    // A tool failure: whisper-cli is not there to be had. The tail of the compiler output is
    // what a developer needs to fix it.
    fail: (failure) =>
      failure.reason === 'start'
        ? {
            code: 'NOT_FOUND',
            message: `${command} is not installed; install CMake 3.14+ and a C++17 compiler to build whisper-cli.`,
          }
        : {
            code: 'NOT_FOUND',
            message: `${command} ${args.join(' ')} failed (${failure.signal ?? `exit ${failure.exitCode}`}):\n${tailLines(failure.stderrTail, 40).join('\n')}`,
          },
  });
  if (pending.stdout) log?.(pending.stdout);
  if (pending.stderr) log?.(pending.stderr);
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
  ninja ??= runProcess('ninja', ['--version'], {
    stdout: 'ignore',
    fail: () => ({ code: 'NOT_FOUND', message: 'ninja is not installed.' }),
  }).then(
    () => true,
    () => false,
  );
  return ninja;
}

/**
 * The path of an up-to-date `whisper-cli`, building it first when needed. For tests and
 * benchmarks: give the first call a long timeout (the first build takes minutes).
 */
export async function ensureWhisperCli(options: BuildWhisperCliOptions = {}): Promise<string> {
  return (await buildWhisperCli(options)).binary;
}
