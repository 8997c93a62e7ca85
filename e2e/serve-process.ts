import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { transcribeJobResult, type JobView } from '../src-main/contract/jobs';
import { testModels } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../src-main/engine/whisper/test-model/make-test-model';

export interface ServeProcess {
  url: string;
  /** The admin session token `serve` printed for the browser UI (valid until it stops). */
  token: string;
  /** The one-time UI link `serve` printed: `${url}/#token=…`. */
  uiUrl: string;
  /** Headers that authenticate an API call with `token`. */
  auth: { authorization: string };
  dataDir: string;
  child: ChildProcess;
  /** Milliseconds from spawn until the URL line was printed. */
  startupMs: number;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code; removes a data folder it created. */
  stop(): Promise<number | null>;
  /** Calls the API with `token`; throws with the answer's body unless it is 2xx. JSON in, JSON out. */
  api<T>(path: string, init?: RequestInit): Promise<T>;
  /** Adds a local file and transcribes it with `tiny-random` (see `importTestModel`) to the end. */
  transcribe(file: string): Promise<{ mediaId: string; transcriptId: string }>;
}

export interface ServeOptions {
  /** Data folder to use; a fresh temporary one (removed on stop) when omitted. */
  dataDir?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Global CLI options placed before `serve`, e.g. ['--catalog', file]. */
  globalArgs?: string[];
}

const root = join(import.meta.dirname, '..');

/** `studio --data-dir <dataDir> <args…>` as the CLI runs it (node + tsx, from the repo root). */
const cliArgs = (dataDir: string, args: readonly string[]) => [
  '--import',
  'tsx',
  'src-main/cli/main.ts',
  '--data-dir',
  dataDir,
  ...args,
];

/** `studio models import <args…>` in `dataDir`; throws with the CLI's output on failure. */
function importModel(dataDir: string, args: string[]): void {
  const imported = spawnSync(process.execPath, cliArgs(dataDir, ['models', 'import', ...args]), {
    cwd: root,
    encoding: 'utf8',
  });
  if (imported.status !== 0) throw new Error(`models import failed:\n${imported.stderr}`);
}

/**
 * Imports the synthetic Whisper model (real shapes, random weights: its words are noise) into
 * `dataDir` as `tiny-random`, through the CLI, before `serve` starts there. With `vad`, also the
 * real Silero VAD model (live sessions then skip silence and commit at pauses).
 */
export async function importTestModel(
  dataDir: string,
  { vad = false }: { vad?: boolean } = {},
): Promise<void> {
  const model = await ensureTestModel('tiny', 1);
  importModel(dataDir, [model.path, '--id', 'tiny-random']);
  if (vad) importModel(dataDir, [testModels.sileroVad]);
}

/** Starts what `npm run serve` runs, as a real process, and waits for its URL line. */
export async function startServe(options: ServeOptions = {}): Promise<ServeProcess> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'studio-e2e-'));
  const started = Date.now();
  const child = spawn(
    process.execPath,
    cliArgs(dataDir, [...(options.globalArgs ?? []), 'serve', '--port', String(options.port ?? 0)]),
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in 20 s:\n${output}`)),
      20_000,
    );
    const check = () => {
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      const link = /Open the studio: \S+\/#token=(sts_[\w-]+)/.exec(output);
      if (match?.[1] && link?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], token: link[1] });
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });

  const auth = { authorization: `Bearer ${token}` };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      ...init,
      headers: { ...auth, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  return {
    url,
    token,
    api,
    async transcribe(file) {
      const post = (path: string, body: unknown) =>
        api<JobView & { id: string }>(path, { method: 'POST', body: JSON.stringify(body) });
      const mediaId = (await post('/v1/media', { path: file })).id;
      let job = await post('/v1/jobs', {
        kind: 'transcribe',
        mediaId,
        params: { modelId: 'tiny-random', language: 'en' },
      });
      while (job.state === 'queued' || job.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = await api<JobView>(`/v1/jobs/${job.id}`);
      }
      if (job.state !== 'completed') {
        throw new Error(`transcribing ${file} ended ${job.state}: ${job.error?.message ?? ''}`);
      }
      return { mediaId, transcriptId: transcribeJobResult.parse(job.result).transcriptId };
    },
    uiUrl: `${url}/#token=${token}`,
    auth,
    dataDir,
    child,
    startupMs: Date.now() - started,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** A loopback port nothing listens on (bound, then closed): every download fails as offline. */
export async function closedLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
