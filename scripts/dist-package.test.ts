/**
 * The installer's contents, checked on what electron-builder itself makes of
 * build/electron-builder.yml: its schema validation, then a real `electron-builder --dir` run
 * (its own file matching, dependency collection, ASAR packing and unpacking) into a temporary
 * folder, whose app.asar and app.asar.unpacked are then read back.
 *
 * Electron's binary cannot be downloaded here, so the run is given a stand-in Electron
 * distribution (`electronDist`: a folder with an `electron` script) and no native rebuild
 * (`npmRebuild: false`: it needs Electron's headers); neither changes which of our files go in.
 * The portable addon is native/build-dist/Release when it has been built
 * (`npm run build:native -- --dist`); otherwise a folder of stand-in files with its file names,
 * so the config's mapping and filters are still exercised. Needs the app built (out/); Linux only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { getRawHeader, extractFile } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import viteConfig from '../electron.vite.config';
import { createWhisperPool } from '../src-main/engine/pool/pool';
import { forkNodeWorkers } from '../src-main/engine/pool/worker-process';
import {
  readWav16kMono,
  speech,
  testModels,
} from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';

const root = resolve(import.meta.dirname, '..');
const configFile = join(root, 'build', 'electron-builder.yml');
const portableAddonDir = join(root, 'native', 'build-dist', 'Release');
const hasPortableAddon = existsSync(join(portableAddonDir, 'studio_whisper.node'));
const work = mkdtempSync(join(tmpdir(), 'studio-dist-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('build/electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    const config = await getConfig(root, configFile, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({
      appId: expect.any(String),
      productName: 'Transcription Studio',
      linux: { target: ['AppImage', 'deb'] },
      win: { target: ['nsis'] },
      mac: { target: ['dmg'] },
    });
  });

  it('the same validation rejects a misspelt option (so the check above is a real one)', async () => {
    const config = await getConfig(root, configFile, null);
    await expect(
      validateConfiguration(
        { ...config, linux: { ...config.linux, targett: 'deb' } } as typeof config,
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.linux/);
  });

  it("makes the deb depend on ffmpeg and on everything electron-builder's default list has", async () => {
    const config = await getConfig(root, configFile, null);
    // electron-builder keeps its default list in a private method of its deb/rpm target.
    const fpm = createRequire(import.meta.url)('app-builder-lib/out/targets/FpmTarget') as {
      default: { prototype: { getDefaultDepends(target: string): string[] } };
    };
    const defaults = fpm.default.prototype.getDefaultDepends('deb');
    expect(defaults.length).toBeGreaterThan(3);
    expect(config.deb?.depends).toEqual([...defaults, 'ffmpeg']);
  });

  it('names icons that exist: a 512×512 (or larger) PNG set for Linux, ICO for Windows, ICNS for macOS', () => {
    const png = readFileSync(join(root, 'build', 'icons', '512x512.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect(readFileSync(join(root, 'build', 'icon.ico')).readUInt16LE(2)).toBe(1);
    expect(readFileSync(join(root, 'build', 'icon.icns')).toString('ascii', 0, 4)).toBe('icns');
  });
});

// --- The packed app ---

interface Entry {
  path: string;
  unpacked: boolean;
}
interface HeaderNode {
  files?: Record<string, HeaderNode>;
  unpacked?: boolean;
  link?: string;
}

/** Every file in the archive, with whether electron-builder put it in app.asar.unpacked. */
function archiveFiles(node: HeaderNode, prefix = ''): Entry[] {
  return Object.entries(node.files ?? {}).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}/${name}` : name;
    if (child.files) return archiveFiles(child, path);
    return child.link ? [] : [{ path, unpacked: child.unpacked === true }];
  });
}

const platformOk = process.platform === 'linux';
let resources = '';
let entries: Entry[] = [];
let byPath = new Map<string, Entry>();
const unpackedDir = () => join(resources, 'app.asar.unpacked');

/** A folder standing in for the portable addon build: its file names, placeholder bytes. */
function standInAddonDir(): string {
  const dir = join(work, 'native-stand-in');
  mkdirSync(dir, { recursive: true });
  for (const name of [
    'studio_whisper.node',
    'libwhisper.so',
    'libwhisper.so.1',
    'libggml.so',
    'libggml-base.so',
    'libggml-cpu-x64.so',
    'libggml-cpu-haswell.so',
    'studio_whisper.stamp',
  ]) {
    writeFileSync(join(dir, name), `stand-in for ${name}\n`);
  }
  return dir;
}

const addonLabel = hasPortableAddon ? 'the portable addon' : 'stand-in addon files';
describe.runIf(platformOk)(`the packed app (electron-builder --dir, ${addonLabel})`, () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
      throw new Error('the app is not built: run `npm run build` first');
    }
    const electronDist = join(work, 'electron-dist');
    mkdirSync(electronDist, { recursive: true });
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const addonDir = hasPortableAddon ? portableAddonDir : standInAddonDir();
    const yaml = readFileSync(configFile, 'utf8');
    expect(yaml).toContain('from: native/build-dist/Release');
    const config = join(work, 'electron-builder.yml');
    writeFileSync(config, yaml.replace('from: native/build-dist/Release', `from: '${addonDir}'`));
    const output = join(work, 'out');
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        config,
        '--linux',
        'dir',
        '--publish',
        'never',
        '-c.npmRebuild=false',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    if (result.status !== 0) {
      throw new Error(`electron-builder --dir failed:\n${result.stdout}\n${result.stderr}`);
    }
    resources = join(output, 'linux-unpacked', 'resources');
    const header = getRawHeader(join(resources, 'app.asar')).header as HeaderNode;
    entries = archiveFiles(header);
    byPath = new Map(entries.map((entry) => [entry.path, entry]));
  }, 240_000);

  it('holds the main, preload and renderer bundles (the UI as real files) and a package.json that starts the main one', () => {
    for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      expect(byPath.has(file), file).toBe(true);
    }
    const ui = entries.filter((e) => e.path.startsWith('out/renderer/'));
    expect(ui.some((e) => /^out\/renderer\/assets\/.+\.js$/.test(e.path))).toBe(true);
    // Served by the engine's HTTP server from real files.
    expect(ui.filter((e) => !e.unpacked)).toEqual([]);
    const pkg = JSON.parse(
      extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8'),
    ) as { main: string; type: string };
    expect(pkg).toMatchObject({ main: 'out/main/index.js', type: 'module' });
  });

  it('holds every main-process entry of electron.vite.config.ts; the worker processes as real files', () => {
    const input = viteConfig.main?.build?.rolldownOptions?.input;
    const names = Object.keys(input && typeof input === 'object' ? input : {});
    expect(names).toEqual(expect.arrayContaining(['index', 'worker', 'diarization-worker']));
    for (const name of names) expect(byPath.has(`out/main/${name}.js`), name).toBe(true);
    // The entries the main process starts from app.asar.unpacked.
    expect(unpackedEntries).toEqual(['worker.js', 'diarization-worker.js']);
    for (const name of unpackedEntries) {
      expect(byPath.get(`out/main/${name}`), name).toMatchObject({ unpacked: true });
      expect(existsSync(join(unpackedDir(), 'out', 'main', name)), name).toBe(true);
    }
  });

  it('keeps every native module and shared library out of the archive', () => {
    const native = entries.filter((e) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(e.path));
    expect(native.length).toBeGreaterThan(2);
    for (const entry of native) {
      expect(entry, entry.path).toMatchObject({ unpacked: true });
      expect(existsSync(join(unpackedDir(), entry.path)), entry.path).toBe(true);
    }
    const names = native.map((e) => e.path);
    expect(names).toContain('native/build/Release/studio_whisper.node');
    expect(names.some((n) => /^native\/build\/Release\/libggml-cpu-[\w-]+\.so$/.test(n))).toBe(
      true,
    );
    expect(names.some((n) => n.endsWith('/better_sqlite3.node'))).toBe(true);
    // Only the addon's runtime files come from its build folder (no stamp, objects or CMake files).
    expect(
      entries.filter((e) => e.path.startsWith('native/') && !/\.(node|so[.\d]*)$/.test(e.path)),
    ).toEqual([]);
  });

  it('includes the model catalog as it is in models/', () => {
    expect(byPath.has('models/catalog.json')).toBe(true);
    expect(extractFile(join(resources, 'app.asar'), 'models/catalog.json')).toEqual(
      readFileSync(join(root, 'models', 'catalog.json')),
    );
  });

  it('has no model weights, test data, sources, source maps or build-time packages', () => {
    const paths = entries.map((e) => e.path);
    expect(paths.filter((p) => /\.(bin|onnx|gguf|ggml|safetensors|pt)$/i.test(p))).toEqual([]);
    expect(paths.filter((p) => /(^|\/)test-data\//.test(p))).toEqual([]);
    expect(paths.filter((p) => /\.map$/.test(p))).toEqual([]);
    expect(
      paths.filter((p) => !p.startsWith('node_modules/') && /\.(ts|tsx|cpp|h)$/.test(p)),
    ).toEqual([]);
    expect(
      paths.filter((p) => /^node_modules\/(nodejs-whisper|cmake-js|node-addon-api)\//.test(p)),
    ).toEqual([]);
    expect(
      paths.filter((p) => /^(src-main|src-renderer|src-preload|e2e|test-data|bench)\//.test(p)),
    ).toEqual([]);
  });

  it('gives the unpacked workers everything they import, unpacked too', () => {
    const missing = unpackedClosureProblems(unpackedDir());
    expect(missing).toEqual([]);
  });

  it.runIf(hasPortableAddon)(
    'runs the packed whisper worker from app.asar.unpacked: it finds the packed addon and transcribes',
    async () => {
      // Node runs the unpacked worker entry as Electron's utility process would: from real
      // files, resolving its chunks and packages there and finding the addon beside them.
      const entry = join(unpackedDir(), 'out', 'main', 'worker.js');
      const env = { ...process.env };
      delete env.STUDIO_WHISPER_ADDON;
      const pids: number[] = [];
      const fork = forkNodeWorkers(entry, env);
      const pool = createWhisperPool({
        spawnWorker: (id) => {
          const worker = fork(id);
          if (worker.pid !== undefined) pids.push(worker.pid);
          return worker;
        },
        workers: 1,
        cancelGraceMs: 2000,
      });
      try {
        const done = await pool.submit({
          lane: 'interactive',
          model: { path: testModels.tinyEn, memoryBytes: 100 * 1024 ** 2, useGpu: false },
          pcm: readWav16kMono(speech.jfk),
          params: { threads: 2, language: 'en' },
        });
        expect(done.result).toMatchObject({ segments: expect.any(Array), language: 'en' });
        const maps = readFileSync(`/proc/${pids[0]}/maps`, 'utf8');
        const packedAddon = join(unpackedDir(), 'native', 'build', 'Release');
        expect(maps).toContain(join(packedAddon, 'studio_whisper.node'));
        expect(maps).toMatch(/app\.asar\.unpacked\/native\/build\/Release\/libggml-cpu-[\w-]+\.so/);
      } finally {
        await pool.close();
      }
    },
    60_000,
  );
});

// --- What an unpacked worker entry needs beside it ---

const builtins = new Set([...builtinModules, 'electron']);

/** The worker entries src-main/electron/main.ts starts through unpackedPath(), in its order. */
const unpackedEntries = [
  ...readFileSync(join(root, 'src-main', 'electron', 'main.ts'), 'utf8').matchAll(
    /unpackedPath\(join\(import\.meta\.dirname, '([^']+)'\)\)/g,
  ),
].map((match) => match[1] ?? '');

/** Specifiers a bundled ES module loads: static and dynamic imports, require and createRequire calls. */
function specifiersOf(source: string): string[] {
  const found = new Set<string>();
  // Comments name modules too (`import('tsx/esm/api')` in a doc comment); drop them first.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(?\s*["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  // `const load = createRequire(import.meta.url); load("sherpa-onnx-node")`
  for (const match of code.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*createRequire\(/g)) {
    patterns.push(new RegExp(`\\b${match[1]}\\s*\\(\\s*["']([^"']+)["']\\s*\\)`, 'g'));
  }
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) if (match[1]) found.add(match[1]);
  }
  return [...found];
}

const packageName = (specifier: string) =>
  specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : (specifier.split('/')[0] ?? specifier);

/** Where Node would find `name` from `fromDir`, within the unpacked tree. */
function findPackage(unpacked: string, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; dir.startsWith(unpacked); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === unpacked) break;
  }
  return undefined;
}

/**
 * Walks from each worker entry main.ts starts from app.asar.unpacked through the chunks it imports and the
 * packages it loads (and their dependencies, and optional dependencies installed in the project),
 * listing whatever is not in app.asar.unpacked. Also checks that the unpacked files are ES modules
 * there (the unpacked package.json says "type": "module").
 */
function unpackedClosureProblems(unpacked: string): string[] {
  const problems: string[] = [];
  const pkg = join(unpacked, 'package.json');
  if (
    !existsSync(pkg) ||
    (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type !== 'module'
  ) {
    problems.push('package.json with "type": "module" is not unpacked');
  }
  const mainDir = join(unpacked, 'out', 'main');
  const queue = unpackedEntries
    .map((name) => join(mainDir, name))
    .filter((file) => existsSync(file));
  if (queue.length === 0) problems.push('no worker entry is unpacked');
  const seenFiles = new Set<string>();
  const seenPackages = new Set<string>();
  const visitPackage = (fromDir: string, name: string, by: string) => {
    const dir = findPackage(unpacked, fromDir, name);
    if (!dir) {
      if (!existsSync(join(root, 'node_modules', name, 'package.json'))) return; // not installed here (another OS's optional package)
      problems.push(`${name} (needed by ${by}) is not in app.asar.unpacked`);
      return;
    }
    if (seenPackages.has(dir)) return;
    seenPackages.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      visitPackage(dir, dep, name);
    }
  };
  while (queue.length) {
    const file = queue.pop() ?? '';
    if (seenFiles.has(file)) continue;
    seenFiles.add(file);
    const label = posix.relative(unpacked.split('\\').join('/'), file.split('\\').join('/'));
    for (const spec of specifiersOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (existsSync(target)) queue.push(target);
        else problems.push(`${spec} (imported by ${label}) is not in app.asar.unpacked`);
        continue;
      }
      visitPackage(dirname(file), packageName(spec), label);
    }
  }
  return problems;
}
