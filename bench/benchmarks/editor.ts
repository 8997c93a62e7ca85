/**
 * The editor on a 3-hour transcript (~30 000 words) in headless Chromium, the built renderer
 * served by the engine as `serve` does: time to interactive, keystroke-to-paint while editing a
 * word inline, and frame times while scrolling the virtualised transcript from top to bottom.
 *
 * The server runs in its own process (so the browser's measurements never share an event loop
 * with it): it makes an engine in a temporary data folder, adds a generated 3-hour audio file,
 * inserts a generated document built to the contract (and validated like any document from
 * outside), starts the API with the UI, and prints `{ url, token, transcriptId, … }`. Before the
 * browser opens anything, the waveform peaks are requested once (the engine decodes the whole
 * file on the first request, which takes seconds for 3 hours and is no part of opening the
 * editor), so time to interactive measures the editor with the peaks cache warm.
 *
 * All timings are taken inside the page with `performance.now()`, so the round trips between
 * this process and the browser never count. `--words=N` (default 30000), `--loads=N` (default 3),
 * `--keys=N` characters typed (default 120), `--scroll-seconds=N` (default 5).
 *
 * This file is also the server's entry point (EDITOR_BENCH_CHILD set).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TranscriptDocument } from '../../src-main/contract/document';
import { startServer } from '../../src-main/api/server';
import { createEngine } from '../../src-main/engine/create-engine';
import { seededRandom } from '../../src-main/engine/documents/__fixtures__/random-result';
import { validateDocument } from '../../src-main/engine/documents/validate';
import type { Benchmark, BenchmarkOptions } from '../benchmark';
import { percentile } from '../stats';
import { syntheticDocument } from '../synthetic-document';

const CHILD_ENV = 'EDITOR_BENCH_CHILD';
const root = path.join(import.meta.dirname, '..', '..');
const uiDir = path.join(root, 'out', 'renderer');
const DURATION_SEC = 3 * 60 * 60;

interface ServerSpec {
  dataDir: string;
  mediaPath: string;
  words: number;
}

interface ServerInfo {
  url: string;
  token: string;
  mediaId: string;
  transcriptId: string;
  words: number;
  segments: number;
  durationSec: number;
}

const vocabulary = (
  'the a and of to in that it is was for on with as we they you this but have be at not what ' +
  'from or by one all there so when about which their would said people time just know like ' +
  'think very really because could some other into then more also well going way right now ' +
  'transcription studio caption editor waveform segment speaker minute recording interview ' +
  'question answer program listen together morning evening station weather report story'
).split(' ');

/**
 * The 3-hour transcript: a word every `durationMs / words` ms with a pause after each segment,
 * ~4 % low-confidence words and a few flagged as possibly invented.
 */
function makeLongDocument(wordCount: number, durationMs: number): TranscriptDocument {
  const rng = seededRandom(6);
  return syntheticDocument({
    wordCount,
    nextWord: () => vocabulary[Math.floor(rng() * vocabulary.length)]!,
    rng,
    stepMs: Math.floor(durationMs / wordCount),
    durationMs,
    flags: true,
    pauseAfterSegment: true,
  });
}

/** The server side: an engine with the 3-hour media item and its transcript, the API with the UI. */
async function serveForBench({ dataDir, mediaPath, words }: ServerSpec): Promise<void> {
  const engine = createEngine({ dataDir });
  const media = await engine.media.add(mediaPath, { name: 'Three hours.opus' });
  const document = validateDocument(
    makeLongDocument(words, Math.round((media.durationSec ?? DURATION_SEC) * 1000)),
  );
  const transcript = engine.repos.transcripts.insert({
    mediaId: media.id,
    modelId: null,
    language: 'en',
    document,
    status: 'complete',
  });
  const server = await startServer({ engine, uiDir });
  const info: ServerInfo = {
    url: server.url,
    token: engine.tokens.sessionToken(['admin']),
    mediaId: media.id,
    transcriptId: transcript.id,
    words: document.segments.reduce(
      (sum, s) => sum + s.lines.reduce((k, l) => k + l.words.length, 0),
      0,
    ),
    segments: document.segments.length,
    durationSec: document.durationMs / 1000,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  // Runs until the benchmark closes stdin.
  for await (const line of createInterface({ input: process.stdin })) void line;
  await server.close();
  await engine.shutdown();
}

function startServerProcess(spec: ServerSpec) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [CHILD_ENV]: JSON.stringify(spec) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const info = new Promise<ServerInfo>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.trim().startsWith('{')) resolve(JSON.parse(line) as ServerInfo);
    });
    child.once('exit', () => reject(new Error('the editor bench server exited early (see above)')));
  });
  return {
    info,
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

/** The renderer as `serve` serves it: built now when it is not there. */
async function ensureRenderer(): Promise<void> {
  const index = path.join(uiDir, 'index.html');
  if (existsSync(index)) return;
  process.stderr.write('out/renderer is missing: running `npm run build`…\n');
  await new Promise<void>((resolve, reject) => {
    const build = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
    build.once('error', reject);
    build.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build failed (exit ${code})`)),
    );
  });
  if (!existsSync(index)) {
    throw new Error(`npm run build did not write ${index}; the editor benchmark needs the UI.`);
  }
}

/** A 3-hour mono Opus file: one minute of a tone with a changing envelope, looped by stream copy. */
async function makeMedia(dir: string): Promise<string> {
  const run = promisify(execFile);
  const clip = path.join(dir, 'clip.opus');
  const file = path.join(dir, 'three-hours.opus');
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
    ...['-i', 'sine=frequency=180:sample_rate=16000:duration=60'],
    ...['-af', "volume='0.15+0.6*abs(sin(t*1.7))*abs(sin(t*0.23))':eval=frame"],
    ...['-ac', '1', '-c:a', 'libopus', '-b:a', '6k', clip],
  ]);
  const loops = String(DURATION_SEC / 60 - 1);
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', loops],
    ...['-i', clip, '-c', 'copy', file],
  ]);
  return file;
}

/** What the page records about itself (see `instrument`). */
interface PageProbe {
  firstWordsMs: number | null;
  interactiveMs: number | null;
  longTasks: { start: number; duration: number }[];
  /** Per key: its keydown's timeStamp and the milliseconds from there to the edit's paint. */
  keySamples: { key: string; start: number; ms: number }[];
  /** Event Timing entries of keydowns (only those of ≥ 16 ms are reported). */
  slowKeydowns: { start: number; duration: number }[];
  recordKeys: boolean;
}

/**
 * The little of the DOM the in-page code uses, so this file compiles with the Node libraries only.
 * Functions handed to the page are sent as source and cannot see this module: each one reaches
 * the page's globals with `globalThis as unknown as PageGlobals` (the cast leaves no code).
 */
interface PageElement {
  isConnected: boolean;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  click(): void;
  getAttribute(name: string): string | null;
}

interface PageGlobals {
  __editorBench: PageProbe;
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): { length: number };
    addEventListener(
      type: 'keydown' | 'input',
      listener: (event: { timeStamp: number; key?: string }) => void,
      capture: boolean,
    ): void;
  };
  sessionStorage: { getItem(key: string): string | null };
  requestAnimationFrame(callback: (now: number) => void): number;
  PerformanceObserver: new (
    callback: (list: {
      getEntries(): { name: string; startTime: number; duration: number }[];
    }) => void,
  ) => {
    observe(options: {
      type: 'longtask' | 'event';
      buffered?: boolean;
      durationThreshold?: number;
    }): void;
  };
  MessageChannel: new () => {
    port1: { onmessage: (() => void) | null };
    port2: { postMessage(message: null): void };
  };
}

/**
 * Installed in every page before its own scripts (CDP, so the UI's CSP does not apply).
 *
 * Time to interactive: from navigation start (performance.now() = 0) a frame loop looks for the
 * first word in the transcript; the frame it appears in marks `firstWordsMs`, and it is clicked
 * (the handler React attached selects it). Interactive is when the selection has painted: the
 * frame in which the word shows `aria-pressed="true"`, plus that frame's rendering (see below).
 * The loop only runs when the main thread is free, so a blocked page delays both marks.
 *
 * Keystroke to paint: for every keystroke the clock starts at the keydown event's `timeStamp`
 * (when the browser received the key). In the `input` event (the one React's onChange handles;
 * React commits a discrete update before the event's task ends), a requestAnimationFrame callback
 * marks the next frame, and a MessageChannel message posted from it runs as the first task after
 * that frame's style, layout and paint: its `performance.now()` is when the edit is on screen as
 * far as the page's main thread is concerned. Two nested rAFs would add a whole vsync interval
 * (~16.7 ms) to every sample and measure the frame clock instead of the work. Tab and Enter,
 * which save the word into the document in React's keydown handler, are timed the same way from
 * their keydown. The Event Timing API (`event` entries; it only reports events of ≥ 16 ms, and
 * its duration runs to the compositor's presentation, in 8 ms steps) is read alongside as a
 * cross-check: it counts letters whose keydown-to-next-paint reached 16 ms.
 */
function instrument(): void {
  const page = globalThis as unknown as PageGlobals;
  const { document } = page;
  const probe: PageProbe = {
    firstWordsMs: null,
    interactiveMs: null,
    longTasks: [],
    keySamples: [],
    slowKeydowns: [],
    recordKeys: false,
  };
  page.__editorBench = probe;
  const afterFrame = (then: () => void) => {
    const channel = new page.MessageChannel();
    channel.port1.onmessage = then;
    channel.port2.postMessage(null);
  };
  new page.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  new page.PerformanceObserver((list) => {
    if (!probe.recordKeys) return;
    for (const entry of list.getEntries()) {
      if (entry.name === 'keydown') {
        probe.slowKeydowns.push({ start: entry.startTime, duration: entry.duration });
      }
    }
  }).observe({ type: 'event', durationThreshold: 16 });

  let clicked: PageElement | null = null;
  const watch = () => {
    if (!clicked) {
      const word = document.querySelector('.transcript [data-word-id]');
      if (word) {
        probe.firstWordsMs = performance.now();
        clicked = word;
        word.click();
      }
    } else if (clicked.isConnected && clicked.getAttribute('aria-pressed') === 'true') {
      afterFrame(() => (probe.interactiveMs = performance.now()));
      return;
    } else if (!clicked.isConnected) {
      clicked = null; // re-rendered away before it took the click: find it again
    }
    page.requestAnimationFrame(watch);
  };
  page.requestAnimationFrame(watch);

  // A letter changes the input's text: its edit is React's onChange, in the `input` event. Tab and
  // Enter save the word into the document (a commit): that happens in the keydown handler.
  let keyStart = 0;
  let key = '';
  const sampleAfterPaint = () => {
    const start = keyStart;
    const pressed = key;
    page.requestAnimationFrame(() =>
      afterFrame(() =>
        probe.keySamples.push({ key: pressed, start, ms: performance.now() - start }),
      ),
    );
  };
  document.addEventListener(
    'keydown',
    (event) => {
      keyStart = event.timeStamp;
      key = event.key ?? '';
      if (probe.recordKeys && (key === 'Tab' || key === 'Enter')) sampleAfterPaint();
    },
    true,
  );
  document.addEventListener('input', () => probe.recordKeys && sampleAfterPaint(), true);
}

/** Scrolls the transcript to the bottom over `seconds`, one step a frame; returns frame intervals. */
function scrollThrough(seconds: number): Promise<{ intervals: number[]; wordNodes: number }> {
  const page = globalThis as unknown as PageGlobals;
  const pane = page.document.querySelector('.transcript')!;
  return new Promise((resolve) => {
    const intervals: number[] = [];
    const frames = Math.max(1, Math.round(seconds * 60));
    const stepPx = Math.ceil((pane.scrollHeight - pane.clientHeight) / frames);
    let last = 0;
    const frame = (now: number) => {
      if (last > 0) intervals.push(now - last);
      last = now;
      const bottom = pane.scrollHeight - pane.clientHeight;
      if (pane.scrollTop >= bottom - 1) {
        // Two more frames so the last rows render, then count the words in the DOM.
        page.requestAnimationFrame(() =>
          page.requestAnimationFrame(() =>
            resolve({
              intervals,
              wordNodes: page.document.querySelectorAll('[data-word-id]').length,
            }),
          ),
        );
        return;
      }
      pane.scrollTop = Math.min(bottom, pane.scrollTop + stepPx);
      page.requestAnimationFrame(frame);
    };
    page.requestAnimationFrame(frame);
  });
}

const median = (values: number[]) => percentile(values, 50);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const probe = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).__editorBench);

/** Runs one part of the measurement; when it fails, keeps what the page showed and says where. */
async function step<T>(page: Page, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const shot = path.join(root, 'bench', 'results', 'editor-failure.png');
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(`${what} failed (the page is in ${shot}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Opens the editor `loads` times from a blank page; per load: time to interactive and more. */
async function measureLoads(page: Page, editorUrl: string, loads: number) {
  const results: { firstWordsMs: number; interactiveMs: number; longestTaskMs: number }[] = [];
  for (let i = 0; i < loads; i += 1) {
    await page.goto('about:blank');
    await page.goto(editorUrl);
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).__editorBench.interactiveMs !== null,
      undefined,
      { timeout: 60_000 },
    );
    // Let the rest of the load settle (waveform, media), then look at what blocked the page.
    await page.waitForTimeout(2000);
    const seen = await probe(page);
    results.push({
      firstWordsMs: seen.firstWordsMs!,
      interactiveMs: seen.interactiveMs!,
      longestTaskMs: Math.max(0, ...seen.longTasks.map((t) => t.duration)),
    });
    process.stderr.write(
      `  load ${i + 1}: words at ${round(seen.firstWordsMs!)} ms, interactive at ` +
        `${round(seen.interactiveMs!)} ms; long tasks: ${
          seen.longTasks
            .map((t) => `${round(t.duration, 0)} ms @ ${round(t.start, 0)}`)
            .join(', ') || 'none'
        }\n`,
    );
  }
  return results;
}

/**
 * Edits words inline: double-click a word near the top, type `keys` letters in words of 20 (Tab
 * saves a word into the document and edits the next one), Enter to finish. Letters are the
 * keystrokes; Tab and Enter, which change the 30 000-word document, are reported as commits.
 */
async function measureTyping(page: Page, keys: number) {
  const target = page.locator('.transcript [data-word-id]').nth(12);
  await target.dblclick();
  await page.locator('.transcript input.word-input').waitFor();
  const startedAt = await page.evaluate(() => {
    const probe = (globalThis as unknown as PageGlobals).__editorBench;
    probe.recordKeys = true;
    return performance.now();
  });
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let typed = 0;
  let presses = 0;
  while (typed < keys) {
    const word = Array.from(
      { length: Math.min(20, keys - typed) },
      (_, i) => letters[(typed + i) % letters.length],
    ).join('');
    // ~10 characters a second: a quick typist, with room between keys to see each one alone.
    await page.keyboard.type(word, { delay: 100 });
    typed += word.length;
    await page.keyboard.press(typed < keys ? 'Tab' : 'Enter');
    presses += word.length + 1;
    await page.waitForTimeout(300);
  }
  await page.waitForFunction(
    (n) => (globalThis as unknown as PageGlobals).__editorBench.keySamples.length >= n,
    presses,
  );
  // Autosave runs a second after the last edit; let it happen inside the window.
  await page.waitForTimeout(1500);
  const seen = await probe(page);
  await page.evaluate(
    () => ((globalThis as unknown as PageGlobals).__editorBench.recordKeys = false),
  );
  const letterSamples = seen.keySamples.filter((s) => s.key.length === 1);
  return {
    letters: letterSamples.map((s) => s.ms),
    commits: seen.keySamples.filter((s) => s.key.length > 1).map((s) => s.ms),
    // Letters whose keydown Event Timing reported ≥ 16 ms from input to the next paint.
    slowByEventTiming: seen.slowKeydowns.filter((e) =>
      letterSamples.some((s) => Math.abs(s.start - e.start) < 0.5),
    ).length,
    longTasks: seen.longTasks.filter((t) => t.start >= startedAt),
  };
}

const benchmark: Benchmark = {
  name: 'editor',
  description:
    'the studio editor in headless Chromium on a generated 3-hour transcript (--words, default ' +
    '30000): time to interactive (median of --loads, default 3), keystroke-to-paint while ' +
    'editing a word inline, frame times while scrolling the virtualised transcript',
  async run(options: BenchmarkOptions) {
    const words = Number(options.extra.words ?? 30_000);
    const loads = Number(options.extra.loads ?? 3);
    const keys = Number(options.extra.keys ?? 120);
    const scrollSeconds = Number(options.extra['scroll-seconds'] ?? 5);
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(chromiumPath)) {
      throw new Error(`No Chromium at ${chromiumPath}: install it or set CHROMIUM_PATH.`);
    }
    await ensureRenderer();
    const dir = await mkdtemp(path.join(tmpdir(), 'studio-editor-bench-'));
    let server: ReturnType<typeof startServerProcess> | undefined;
    let browser: Browser | undefined;
    try {
      server = startServerProcess({
        dataDir: path.join(dir, 'data'),
        mediaPath: await makeMedia(dir),
        words,
      });
      browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      });
      const info = await server.info;
      // Warm the peaks cache: the first request decodes 3 hours of audio (not the editor's work).
      const peaks = await fetch(`${info.url}/v1/media/${info.mediaId}/peaks`, {
        headers: { authorization: `Bearer ${info.token}` },
      });
      if (!peaks.ok) throw new Error(`peaks request failed: ${peaks.status} ${await peaks.text()}`);
      await peaks.arrayBuffer();

      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      // tsx keeps function names by wrapping them in `__name(…)`, which the page lacks.
      await page.addInitScript('globalThis.__name ??= (fn) => fn;');
      await page.addInitScript(instrument);
      // The token travels in the fragment once; the UI keeps it in this tab's sessionStorage.
      await page.goto(`${info.url}/#token=${info.token}`);
      await page.waitForFunction(
        () =>
          (globalThis as unknown as PageGlobals).sessionStorage.getItem('studio.apiToken') !== null,
      );
      const editorUrl = `${info.url}/#/editor/${encodeURIComponent(info.transcriptId)}`;
      const loadResults = await step(page, 'Opening the editor', () =>
        measureLoads(page, editorUrl, loads),
      );
      const typing = await step(page, 'Typing', () => measureTyping(page, keys));
      const scroll = await step(page, 'Scrolling', () =>
        page.evaluate(scrollThrough, scrollSeconds),
      );

      const tti = median(loadResults.map((r) => r.interactiveMs));
      const keyP95 = percentile(typing.letters, 95);
      return {
        words: info.words,
        segments: info.segments,
        duration_sec: info.durationSec,
        loads,
        time_to_interactive_ms: round(tti, 0),
        first_words_ms: round(median(loadResults.map((r) => r.firstWordsMs)), 0),
        load_longest_task_ms: round(median(loadResults.map((r) => r.longestTaskMs)), 0),
        keystrokes: typing.letters.length,
        keystroke_to_paint_p50_ms: round(percentile(typing.letters, 50)),
        keystroke_to_paint_p95_ms: round(keyP95),
        keystroke_to_paint_max_ms: round(Math.max(0, ...typing.letters)),
        keystrokes_over_16ms_event_timing: typing.slowByEventTiming,
        edit_commits: typing.commits.length,
        edit_commit_p50_ms: round(percentile(typing.commits, 50)),
        edit_commit_max_ms: round(Math.max(0, ...typing.commits)),
        typing_longest_task_ms: round(Math.max(0, ...typing.longTasks.map((t) => t.duration)), 0),
        scroll_frames: scroll.intervals.length,
        scroll_frame_p50_ms: round(percentile(scroll.intervals, 50)),
        scroll_frame_p95_ms: round(percentile(scroll.intervals, 95)),
        scroll_frame_max_ms: round(Math.max(0, ...scroll.intervals)),
        dom_word_nodes: scroll.wordNodes,
        targets_met: tti < 1000 && keyP95 < 16,
      };
    } catch (error) {
      server?.kill();
      throw error;
    } finally {
      await browser?.close();
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;

const childSpec = process.env[CHILD_ENV];
if (childSpec) await serveForBench(JSON.parse(childSpec) as ServerSpec);
