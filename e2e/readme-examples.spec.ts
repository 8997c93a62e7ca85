/**
 * README's API examples, run exactly as written, in order, from a fresh data folder, against a
 * real `serve`. A block takes part when the line before it (blank lines aside) is
 * `<!-- readme-example: NAME -->`: `sh` blocks run in one bash session (variables carry over),
 * a `ts` block is saved as a file and run with tsx. Nothing is substituted in the text: the
 * environment is what a reader's would be (STUDIO_URL names the engine's port, STUDIO_DATA_DIR
 * the folder `serve` uses), and the commands run in a folder that looks like the project
 * (its entries linked) holding a `talk.mp4` and a `talk.wav`.
 *
 * The catalog's `whisper-base.en` points at a loopback server holding the synthetic test model
 * (these machines reach no model host), so the download example downloads, checks the sha256
 * and installs a real file.
 */
import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  startFixtureServer,
  type FixtureServer,
} from '../src-main/engine/models/__fixtures__/fixture-server';
import { speech } from '../src-main/engine/whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../src-main/engine/whisper/test-model/make-test-model';
import { startServe, type ServeProcess } from './serve-process';

const root = join(import.meta.dirname, '..');

export interface ReadmeExample {
  name: string;
  lang: string;
  code: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
}

/** The marked fenced blocks of a Markdown text, in order. */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split('\n');
  const examples: ReadmeExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- readme-example: ([\w-]+) -->$/.exec(lines[i] ?? '');
    if (!marker?.[1]) continue;
    let fence = i + 1;
    while ((lines[fence] ?? '').trim() === '' && fence < lines.length) fence++;
    const open = /^```(\w+)$/.exec(lines[fence] ?? '');
    if (!open?.[1]) throw new Error(`README.md:${i + 1}: the marker is not followed by a block`);
    const close = lines.indexOf('```', fence + 1);
    if (close < 0) throw new Error(`README.md:${fence + 1}: the block never closes`);
    examples.push({
      name: marker[1],
      lang: open[1],
      code: lines.slice(fence + 1, close).join('\n'),
      line: fence + 1,
    });
  }
  return examples;
}

const catalogFile = z.looseObject({
  models: z.array(z.looseObject({ id: z.string(), url: z.string() })),
});

let server: FixtureServer;
let serve: ServeProcess;
let work: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const model = await ensureTestModel('tiny', 1, { english: true });
  server = await startFixtureServer(readFileSync(model.path));

  work = mkdtempSync(join(tmpdir(), 'studio-readme-'));
  const catalog = catalogFile.parse(
    JSON.parse(readFileSync(join(root, 'models', 'catalog.json'), 'utf8')),
  );
  const entry = catalog.models.find((m) => m.id === 'whisper-base.en');
  if (!entry) throw new Error('the catalog has no whisper-base.en, which README downloads');
  Object.assign(entry, {
    url: server.url,
    sizeBytes: server.payload.length,
    sha256: createHash('sha256').update(server.payload).digest('hex'),
  });
  writeFileSync(join(work, 'catalog.json'), JSON.stringify(catalog));
  serve = await startServe({ globalArgs: ['--catalog', join(work, 'catalog.json')] });

  // The project folder as a reader has it, plus their media.
  const project = join(work, 'project');
  mkdirSync(project);
  for (const name of readdirSync(root)) symlinkSync(join(root, name), join(project, name));
  run('cp', [speech.jfk, join(project, 'talk.wav')]);
  run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=navy:s=320x240:r=25'],
    ...['-i', speech.jfk, '-shortest', '-c:v', 'libx264', '-c:a', 'aac'],
    join(project, 'talk.mp4'),
  ]);
});

test.afterAll(async () => {
  await serve?.stop();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[]): void {
  const done = spawnSync(command, args, { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command} failed: ${done.stderr}`);
}

/**
 * Runs bash in the project folder with the reader's environment. Asynchronous: the model host
 * above answers from this process.
 */
function bash(script: string): Promise<{ status: number | null; output: string }> {
  const child = spawn('bash', ['-s'], {
    cwd: join(work, 'project'),
    env: { ...process.env, STUDIO_URL: serve.url, STUDIO_DATA_DIR: serve.dataDir },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(script);
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, output })));
}

test("README's API examples work as written, in order, from a fresh data folder", async () => {
  test.setTimeout(300_000);
  const examples = readmeExamples(readFileSync(join(root, 'README.md'), 'utf8'));
  expect(examples.map((e) => e.name)).toEqual(['api-walkthrough', 'openai-client', 'live-client']);

  // One bash session for the shell blocks, in README order; the ts block runs where it stands.
  let shell = 'set -euo pipefail\n';
  for (const example of examples) {
    if (example.lang === 'sh') {
      shell += `echo '--- README.md:${example.line} ${example.name}'\n${example.code}\n`;
    } else if (example.lang === 'ts') {
      const file = join(work, 'project', `${example.name}.mts`);
      writeFileSync(file, example.code);
      shell += `echo '--- README.md:${example.line} ${example.name}'\nnpx tsx ${example.name}.mts\n`;
    } else {
      throw new Error(`README.md:${example.line}: no runner for \`${example.lang}\` blocks`);
    }
  }
  const { status, output } = await bash(shell);
  expect(status, output).toBe(0);

  // What the examples say they do happened: the model was downloaded, the upload transcribed,
  // the captions fetched, the OpenAI client and the live client answered.
  expect(output).toContain('"ready"');
  const srt = readFileSync(join(work, 'project', 'talk.srt'), 'utf8');
  expect(srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
  expect(output).toMatch(/--- README\.md:\d+ openai-client\n.*\S/);
  const models = await serve.api<{ models: { id: string; status: string }[] }>('/v1/models');
  expect(models.models.find((m) => m.id === 'whisper-base.en')?.status).toBe('ready');
});
