/**
 * Builds the native Whisper addon (native/ → native/build/<Release|Debug>/studio_whisper.node)
 * with cmake-js, compiling whisper.cpp from the tree the pinned `nodejs-whisper` package ships.
 * The portable `--dist` build (no host-specific CPU flags: GGML_NATIVE OFF, every CPU variant
 * loaded at run time) goes to its own folder, native/build-dist/<Release|Debug>/, so building the
 * installer never replaces the build tuned for this machine that `serve`, `cli` and tests load.
 *
 *   npm run build:native [-- --gpu none|cuda|vulkan|metal] [--debug] [--dist] [--force] [--quiet]
 *
 * --gpu defaults to metal on macOS and none elsewhere; --force builds even when the stamp says
 * the addon is up to date; --quiet drops the "up to date" line.
 *
 * Environment (flags win): STUDIO_GPU=none|cuda|vulkan|metal, STUDIO_NATIVE_DIST=1,
 * STUDIO_NATIVE_DEBUG=1, STUDIO_CUDA_ARCHITECTURES (e.g. "86;89", default: this machine's GPU for
 * local builds, ggml's list for --dist), STUDIO_WHISPER_CPP_DIR (another whisper.cpp tree).
 *
 * `serve`, `cli` and `test` run this every time, so the up-to-date case must cost almost nothing:
 * a stamp beside the .node records a hash of everything the build depends on (our sources, the
 * whisper.cpp and node-addon-api versions, the chosen options); when it matches, the script exits
 * at once without loading cmake-js. Changing the options (GPU, dist, debug) starts from a clean
 * build folder so no stale CMake cache or library survives.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const nativeDir = join(root, 'native');
/** The build folder: native/build for this machine, native/build-dist for the portable build. */
const buildDirOf = (dist: boolean) => join(nativeDir, dist ? 'build-dist' : 'build');
const INSTALL_HINT =
  'install cmake and a C++ compiler: apt install cmake build-essential (macOS: xcode-select --install && brew install cmake)';

type Gpu = 'none' | 'cuda' | 'vulkan' | 'metal';
const GPUS: readonly Gpu[] = ['none', 'cuda', 'vulkan', 'metal'];

interface BuildOptions {
  gpu: Gpu;
  dist: boolean;
  debug: boolean;
  cudaArchitectures: string | null;
}

function fail(message: string): never {
  process.stderr.write(`build:native: ${message}\n`);
  process.exit(1);
}

function readOptions(): { options: BuildOptions; force: boolean; quiet: boolean } {
  const { values } = parseArgs({
    options: {
      gpu: { type: 'string' },
      dist: { type: 'boolean' },
      debug: { type: 'boolean' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  const env = process.env;
  // Metal is part of every Mac, so macOS builds use it unless told otherwise; CUDA and Vulkan
  // need an SDK and a long build, so they are only ever built on request.
  const gpu = (
    values.gpu ??
    env.STUDIO_GPU ??
    (process.platform === 'darwin' ? 'metal' : 'none')
  ).toLowerCase();
  if (!GPUS.includes(gpu as Gpu)) fail(`--gpu must be one of ${GPUS.join(', ')} (got "${gpu}")`);
  return {
    options: {
      gpu: gpu as Gpu,
      dist: values.dist ?? env.STUDIO_NATIVE_DIST === '1',
      debug: values.debug ?? env.STUDIO_NATIVE_DEBUG === '1',
      cudaArchitectures: env.STUDIO_CUDA_ARCHITECTURES || null,
    },
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}

function whisperCppDir(): string {
  if (process.env.STUDIO_WHISPER_CPP_DIR) return resolve(process.env.STUDIO_WHISPER_CPP_DIR);
  return join(root, 'node_modules', 'nodejs-whisper', 'cpp', 'whisper.cpp');
}

function packageVersion(name: string): string {
  const require = createRequire(join(root, 'package.json'));
  try {
    return (
      JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    fail(`the npm package "${name}" is missing: run npm install`);
  }
}

/** Everything the build depends on, hashed: sources, versions, options, platform. */
function fingerprint(options: BuildOptions, whisperDir: string): string {
  const hash = createHash('sha256');
  const add = (label: string, data: string | Buffer) =>
    hash.update(`${label}\0`).update(data).update('\0');
  add('options', JSON.stringify(options));
  add('platform', `${process.platform}-${process.arch}`);
  add('whisper.cpp', whisperDir);
  add('nodejs-whisper', packageVersion('nodejs-whisper'));
  add('node-addon-api', packageVersion('node-addon-api'));
  add('cmake-js', packageVersion('cmake-js'));
  add('script', readFileSync(import.meta.filename));
  for (const file of ['CMakeLists.txt', 'package.json'])
    add(file, readFileSync(join(nativeDir, file)));
  const srcDir = join(nativeDir, 'src');
  for (const name of readdirSync(srcDir).sort())
    add(`src/${name}`, readFileSync(join(srcDir, name)));
  return hash.digest('hex');
}

function onPath(command: string): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

function checkTools(options: BuildOptions): Record<string, string> {
  const extra: Record<string, string> = {};
  if (!onPath('cmake')) fail(`cmake was not found. To build the Whisper addon, ${INSTALL_HINT}`);
  if (process.platform !== 'win32') {
    const cxx = process.env.CXX ?? ['c++', 'g++', 'clang++'].find((c) => onPath(c));
    if (!cxx) fail(`no C++ compiler was found. To build the Whisper addon, ${INSTALL_HINT}`);
    if (!onPath('ninja') && !onPath('make')) {
      fail(`neither make nor ninja was found. To build the Whisper addon, ${INSTALL_HINT}`);
    }
  }
  if (options.gpu === 'cuda') {
    const nvcc =
      process.env.CUDACXX ??
      onPath('nvcc') ??
      ['/usr/local/cuda/bin/nvcc', '/opt/cuda/bin/nvcc'].find((p) => existsSync(p));
    if (!nvcc)
      fail(
        '--gpu cuda needs the CUDA toolkit (nvcc not found on PATH, CUDACXX or /usr/local/cuda)',
      );
    if (!hasCublas(nvcc)) {
      fail(
        `--gpu cuda needs cuBLAS, which ggml links to, but no cublas_v2.h was found next to ${nvcc}, in /usr/local/cuda* or /usr/include: install the full CUDA toolkit (or libcublas-dev)`,
      );
    }
    extra.CMAKE_CUDA_COMPILER = nvcc;
    const arch = options.cudaArchitectures ?? (!options.dist && hasNvidiaGpu() ? 'native' : null);
    if (arch) extra.CMAKE_CUDA_ARCHITECTURES = arch;
  }
  if (options.gpu === 'vulkan' && !onPath('glslc')) {
    fail(
      '--gpu vulkan needs the Vulkan SDK (headers, loader and glslc; apt install libvulkan-dev glslc)',
    );
  }
  if (options.gpu === 'metal' && process.platform !== 'darwin')
    fail('--gpu metal is only for macOS');
  return extra;
}

/** ggml's CUDA backend links cuBLAS; some toolkit installs (or containers) ship nvcc without it. */
function hasCublas(nvcc: string): boolean {
  const roots = [process.env.CUDA_PATH, resolve(nvcc, '..', '..'), '/usr'];
  for (const parent of ['/usr/local', '/opt']) {
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent))
      if (name.startsWith('cuda')) roots.push(join(parent, name));
  }
  return roots.some((root) => root && existsSync(join(root, 'include', 'cublas_v2.h')));
}

function hasNvidiaGpu(): boolean {
  const smi = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' });
  return smi.status === 0 && /GPU \d/.test(smi.stdout);
}

interface CmakeJsBuildSystem {
  configure(): Promise<void>;
  build(): Promise<void>;
}
type CmakeJs = { BuildSystem: new (options: Record<string, unknown>) => CmakeJsBuildSystem };

async function main(): Promise<void> {
  const started = performance.now();
  const { options, force, quiet } = readOptions();
  const whisperDir = whisperCppDir();
  if (!existsSync(join(whisperDir, 'include', 'whisper.h'))) {
    fail(
      `whisper.cpp was not found at ${whisperDir}: run npm install (the nodejs-whisper package ships it)`,
    );
  }
  const config = options.debug ? 'Debug' : 'Release';
  const buildDir = buildDirOf(options.dist);
  const configFile = join(buildDir, 'studio-build-options.json');
  const addon = join(buildDir, config, 'studio_whisper.node');
  const stampFile = join(buildDir, config, 'studio_whisper.stamp');
  const print = fingerprint(options, whisperDir);

  if (
    !force &&
    existsSync(addon) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8').trim() === print
  ) {
    if (!quiet)
      process.stderr.write(
        `build:native: up to date (${config}, gpu ${options.gpu}${options.dist ? ', dist' : ''})\n`,
      );
    return;
  }

  const extraDefines = checkTools(options);
  const optionsKey = JSON.stringify({ ...options, whisperDir });
  const previousKey = existsSync(configFile) ? readFileSync(configFile, 'utf8') : null;
  if (previousKey !== optionsKey && existsSync(buildDir)) {
    process.stderr.write(
      `build:native: build options changed; starting from a clean ${buildDir}\n`,
    );
    rmSync(buildDir, { recursive: true, force: true });
  }

  const jobs = availableParallelism();
  process.stderr.write(
    `build:native: building studio_whisper.node (${config}, gpu ${options.gpu}${options.dist ? ', dist' : ''}, ${jobs} jobs)…\n`,
  );
  const require = createRequire(import.meta.url);
  const cmakeJs = require('cmake-js') as CmakeJs;
  const buildSystem = new cmakeJs.BuildSystem({
    directory: nativeDir,
    out: buildDir,
    debug: options.debug,
    parallel: jobs,
    log: 'warn',
    cMakeOptions: {
      WHISPER_CPP_DIR: whisperDir.replaceAll('\\', '/'),
      STUDIO_GPU: options.gpu,
      STUDIO_DIST: options.dist ? 'ON' : 'OFF',
      ...extraDefines,
    },
  });
  try {
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(configFile, optionsKey);
    // Configure every time a build is needed (a few seconds; nothing is recompiled when the
    // settings did not change): cmake-js alone would skip it whenever a CMakeCache exists, even
    // one left by a configure step that failed.
    await buildSystem.configure();
    await buildSystem.build();
  } catch (error) {
    fail(`the build failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!existsSync(addon)) fail(`the build finished but ${addon} is missing`);
  writeFileSync(stampFile, `${print}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`build:native: built ${addon} in ${seconds} s\n`);
}

await main();
