/**
 * Progress of `studio transcribe` over many files.
 *
 * The rendering is pure (model in, lines out) and tested on its own; `createProgressView` writes it
 * to the terminal. On a terminal each file in progress has one bar, with one line for all files
 * under them; a file that ends leaves the bars and is printed above them, once, as `✓ file → …`
 * or as `✗ file` with its full message on the next line. Elsewhere (a pipe, a log file) plain
 * lines say what changed. No figure is ever NaN: what is not known yet reads "—".
 */

export type FileState = 'queued' | 'running' | 'done' | 'failed';

export interface FileProgress {
  /** The file as the user named it (or as found in a folder or by --watch). */
  path: string;
  /** What the bar shows: the file's name. */
  name: string;
  state: FileState;
  /** 0..100 of this file's job. */
  percent: number;
  /** The job's stage (decode, transcribe, …) while it runs. */
  stage: string | null;
  /** The media's length once it was read: files count by it in the total. */
  durationSec: number | null;
  /** The job's own estimate of the time left. */
  etaSec: number | null;
  /** Why it failed (the full message), or what it wrote. */
  message: string | null;
  cached: boolean;
  outputs: string[];
}

export interface ProgressModel {
  files: readonly FileProgress[];
  /** When the run started (ms, same clock as `now`). */
  startedAt: number;
}

export const newFile = (path: string, name: string): FileProgress => ({
  path,
  name,
  state: 'queued',
  percent: 0,
  stage: null,
  durationSec: null,
  etaSec: null,
  message: null,
  cached: false,
  outputs: [],
});

const finite = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

const isFinished = (file: FileProgress) => file.state === 'done' || file.state === 'failed';

/** A file's 0..1, whatever its job reported: 1 only once it ended (a job at 100% may still fail). */
function fileFraction(file: FileProgress): number {
  if (isFinished(file)) return 1;
  return finite(file.percent) ? Math.min(0.99, Math.max(0, file.percent / 100)) : 0;
}

/**
 * How far all files are, 0..1: each file counts by its duration when known (files whose
 * duration is not known yet count as the mean of the known ones, or all alike when none is).
 */
export function overallFraction(files: readonly FileProgress[]): number {
  if (files.length === 0) return 0;
  const known = files.map((f) => f.durationSec).filter((d): d is number => finite(d) && d > 0);
  const typical = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  let total = 0;
  let done = 0;
  for (const file of files) {
    const weight = finite(file.durationSec) && file.durationSec > 0 ? file.durationSec : typical;
    total += weight;
    done += weight * fileFraction(file);
  }
  return total > 0 ? done / total : 0;
}

/** Seconds left for all files, from the pace so far; null until there is a pace to go by. */
export function overallEtaSec(files: readonly FileProgress[], elapsedSec: number): number | null {
  const fraction = overallFraction(files);
  if (!finite(elapsedSec) || elapsedSec < 1 || fraction <= 0.01) return null;
  if (fraction >= 1) return 0;
  return (elapsedSec * (1 - fraction)) / fraction;
}

/** `0:07`, `12:30`, `1:02:03`; "—" for what is not known (null, NaN, ∞, negative). */
export function formatEta(seconds: number | null | undefined): string {
  if (!finite(seconds) || seconds < 0) return '—';
  const whole = Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A whole percentage 0..100 (NaN reads 0). */
export function formatPercent(fraction: number): string {
  // Floored (100% only when all is done), past the float noise of sums such as 12.1 / 22.
  const value = finite(fraction) ? Math.floor(Math.min(1, Math.max(0, fraction)) * 100 + 1e-9) : 0;
  return `${value}%`;
}

export function drawBar(fraction: number, width: number): string {
  const cells = Math.max(0, Math.floor(width));
  const full = finite(fraction) ? Math.round(Math.min(1, Math.max(0, fraction)) * cells) : 0;
  return '█'.repeat(full) + '░'.repeat(cells - full);
}

/** `text` cut to `width` characters, ending in "…" when cut. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

const nameWidth = (columns: number) => Math.max(8, Math.min(24, Math.floor(columns * 0.25)));
/** What is left beside the name for the bar, once the figures and a 36-character tail fit. */
const barWidth = (columns: number) => Math.max(8, Math.min(30, columns - nameWidth(columns) - 46));

/** A bar line: `name  [████░░░░] 42%  transcribe  left 0:12`, never wider than `columns - 1`. */
function barLine(label: string, fraction: number, tail: string, columns: number): string {
  const width = nameWidth(columns);
  const line = `${fit(label, width).padEnd(width)} [${drawBar(fraction, barWidth(columns))}] ${formatPercent(fraction).padStart(4)}  ${tail}`;
  return fit(line, Math.max(20, columns - 1));
}

/** The bar of one file that has not ended. */
export function fileBarLine(file: FileProgress, columns: number): string {
  const doing = file.state === 'queued' ? 'queued' : (file.stage ?? 'starting');
  const left = file.state === 'running' ? `  left ${formatEta(file.etaSec)}` : '';
  return barLine(file.name, fileFraction(file), `${doing}${left}`, columns);
}

/** `2/5 finished (1 failed)`: the count behind the total bar and the plain lines. */
export function finishedCount(files: readonly FileProgress[]): string {
  const finished = files.filter(isFinished).length;
  const failed = files.filter((f) => f.state === 'failed').length;
  return `${finished}/${files.length} finished${failed > 0 ? ` (${failed} failed)` : ''}`;
}

/** The line for all files: how far, how many finished, the time left. */
export function totalLine(model: ProgressModel, now: number, columns: number): string {
  const elapsed = (now - model.startedAt) / 1000;
  const tail = `${finishedCount(model.files)}  left ${formatEta(overallEtaSec(model.files, elapsed))}`;
  return barLine('all files', overallFraction(model.files), tail, columns);
}

/** At most this many file bars; the rest is counted in one line. */
export const maxFileBars = 8;

/** What the live area shows: a bar per file in progress (running first), then the total. */
export function liveLines(model: ProgressModel, now: number, columns: number): string[] {
  const active = [
    ...model.files.filter((f) => f.state === 'running'),
    ...model.files.filter((f) => f.state === 'queued'),
  ];
  const shown = active.slice(0, maxFileBars).map((file) => fileBarLine(file, columns));
  const hidden = active.length - shown.length;
  if (hidden > 0) shown.push(fit(`… and ${hidden} more waiting`, columns - 1));
  return [...shown, totalLine(model, now, columns)];
}

/** What stays once a file ended: `✓ path (cached) → outputs`, or `✗ path` and the full message. */
export function resultLines(file: FileProgress): string[] {
  if (file.state === 'done') {
    const outputs = file.outputs.length > 0 ? ` → ${file.outputs.join(', ')}` : '';
    return [`✓ ${file.path}${file.cached ? ' (cached)' : ''}${outputs}`];
  }
  if (file.state === 'failed') return [`✗ ${file.path}`, `  ${file.message ?? 'failed'}`];
  return [];
}

/** A plain progress line (no terminal): the file's stage and percent, and all files'. */
export function plainLine(file: FileProgress, model: ProgressModel): string {
  const doing = file.state === 'queued' ? 'queued' : (file.stage ?? 'starting');
  return `${file.name}: ${doing} ${formatPercent(fileFraction(file))} · all files ${formatPercent(overallFraction(model.files))}, ${finishedCount(model.files)}`;
}

/** Whether a plain line is worth printing: a new stage, or 10 more percent. */
export function plainStep(file: FileProgress): string {
  const doing = file.state === 'queued' ? 'queued' : (file.stage ?? 'starting');
  return `${doing}:${Math.floor(fileFraction(file) * 10)}`;
}

/** The summary after the run: `3 files: 2 done (1 from the cache), 1 failed.` */
export function summaryLine(files: readonly FileProgress[]): string {
  const done = files.filter((f) => f.state === 'done').length;
  const cached = files.filter((f) => f.state === 'done' && f.cached).length;
  const failed = files.filter((f) => f.state !== 'done').length;
  return `${files.length} file${files.length === 1 ? '' : 's'}: ${done} done${cached > 0 ? ` (${cached} from the cache)` : ''}, ${failed} failed.`;
}

// ---------------------------------------------------------------------------------------------
// Writing it out.

/** The parts of a stream the view writes to (process.stdout / process.stderr). */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressViewOptions {
  /** Where the results (✓/✗ lines, the summary) go. */
  stdout: Output;
  /** Where the bars (terminal) or progress lines (otherwise) go. */
  stderr: Output;
  /** Bars only when both are terminals (the same one, as a rule); plain lines otherwise. */
  tty?: boolean;
  now?: () => number;
  /** Least time between two redraws of the bars. */
  redrawMs?: number;
}

export interface FileHandle {
  /** The media was read: its length weighs the file in the total. */
  duration(seconds: number): void;
  /** A job update. */
  update(job: { percent: number; stage: string | null; etaSec: number | null }): void;
  done(result: { cached: boolean; outputs: string[] }): void;
  failed(message: string): void;
}

export interface ProgressView {
  /** A file joins (a new one in --watch joins the total). */
  add(path: string, name: string): FileHandle;
  /** A line of its own (e.g. "Watching … for new media"), printed above the bars. */
  note(text: string): void;
  readonly files: readonly FileProgress[];
  /** Removes the bars (the results stay). */
  stop(): void;
}

// ESC[nF: up n lines to their start; ESC[J: erase to the end of the screen.
const erase = (lines: number) => (lines > 0 ? `\x1b[${lines}F\x1b[J` : '\r\x1b[J');

export function createProgressView(options: ProgressViewOptions): ProgressView {
  const { stdout, stderr } = options;
  const tty = options.tty ?? Boolean(stdout.isTTY && stderr.isTTY);
  const now = options.now ?? (() => Date.now());
  const redrawMs = options.redrawMs ?? 100;
  const model: { files: FileProgress[]; startedAt: number } = { files: [], startedAt: now() };
  const lastStep = new Map<FileProgress, string>();
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const columns = () => Math.max(40, stderr.columns ?? stdout.columns ?? 80);

  const draw = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!tty || stopped) return;
    const lines = liveLines(model, now(), columns());
    stderr.write(`${erase(drawn)}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const redrawSoon = () => {
    if (!tty || stopped || timer) return;
    timer = setTimeout(draw, redrawMs);
    timer.unref();
  };
  /** Lines that stay: above the bars on a terminal, as they are elsewhere. */
  const print = (to: Output, lines: string[]) => {
    if (tty && !stopped && drawn > 0) {
      stderr.write(erase(drawn));
      drawn = 0;
    }
    to.write(`${lines.join('\n')}\n`);
    draw();
  };
  const plain = (file: FileProgress) => {
    if (tty) return;
    const step = plainStep(file);
    if (lastStep.get(file) === step) return;
    lastStep.set(file, step);
    stderr.write(`${plainLine(file, model)}\n`);
  };
  const finish = (file: FileProgress) => {
    print(stdout, resultLines(file));
  };

  return {
    files: model.files,
    add(path, name) {
      const file = newFile(path, name);
      model.files.push(file);
      redrawSoon();
      const ended = () => isFinished(file);
      return {
        duration(seconds) {
          if (finite(seconds) && seconds > 0) file.durationSec = seconds;
          redrawSoon();
        },
        update(job) {
          if (ended()) return;
          file.state = 'running';
          if (finite(job.percent)) file.percent = job.percent;
          file.stage = job.stage;
          file.etaSec = finite(job.etaSec) ? job.etaSec : null;
          plain(file);
          redrawSoon();
        },
        done(result) {
          if (ended()) return;
          Object.assign(file, { state: 'done', percent: 100, ...result });
          finish(file);
        },
        failed(message) {
          if (ended()) return;
          Object.assign(file, { state: 'failed', message });
          finish(file);
        },
      };
    },
    note(text) {
      print(stderr, [text]);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (tty && drawn > 0) stderr.write(erase(drawn));
      drawn = 0;
      stopped = true;
    },
  };
}
