import { describe, expect, it } from 'vitest';
import { terminalScreen } from './__fixtures__/terminal-screen';
import {
  createProgressView,
  fileBarLine,
  formatEta,
  liveLines,
  newFile,
  overallEtaSec,
  overallFraction,
  resultLines,
  summaryLine,
  totalLine,
  type FileProgress,
  type Output,
} from './progress';

const file = (patch: Partial<FileProgress> = {}): FileProgress => ({
  ...newFile('/in/a.wav', 'a.wav'),
  ...patch,
});

/** A stream that keeps what is written (both views' streams write into one terminal). */
function terminal(isTTY: boolean, columns = 100) {
  let text = '';
  const stream = (): Output => ({
    isTTY,
    columns,
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  });
  return { stdout: stream(), stderr: stream(), text: () => text };
}

describe('progress figures', () => {
  it('formats the time left, and "—" whenever it is not known', () => {
    expect(formatEta(7)).toBe('0:07');
    expect(formatEta(750)).toBe('12:30');
    expect(formatEta(3723)).toBe('1:02:03');
    for (const unknown of [null, undefined, Number.NaN, Infinity, -1]) {
      expect(formatEta(unknown)).toBe('—');
    }
  });

  it('counts all files: finished ones (done or failed) whole, running ones by their percent', () => {
    const files = [
      file({ state: 'failed' }),
      file({ state: 'running', percent: 50 }),
      file({ state: 'queued' }),
      file({ state: 'queued' }),
    ];
    expect(overallFraction(files)).toBeCloseTo((1 + 0.5) / 4);
    expect(overallFraction([])).toBe(0);
    // 100% only once every file ended: a job at 100% is still finishing (and may fail).
    const finishing = [file({ state: 'done' }), file({ state: 'running', percent: 100 })];
    expect(overallFraction(finishing)).toBeLessThan(1);
    expect(totalLine({ startedAt: 0, files: finishing }, 0, 100)).toMatch(/ 99% {2}1\/2 finished/);
    // A job that reports NaN counts as not started, never as NaN.
    expect(overallFraction([file({ state: 'running', percent: Number.NaN })])).toBe(0);
  });

  it('weighs files by their duration when known (unknown ones as the mean of the known)', () => {
    const long = file({ state: 'done', durationSec: 300 });
    const short = file({ state: 'queued', durationSec: 100 });
    expect(overallFraction([long, short])).toBeCloseTo(300 / 400);
    const unknown = file({ state: 'queued' });
    expect(overallFraction([long, short, unknown])).toBeCloseTo(300 / 600);
  });

  it('estimates the time left from the pace so far, and not before there is one', () => {
    const files = [file({ state: 'done' }), file({ state: 'queued' })];
    expect(overallEtaSec(files, 30)).toBeCloseTo(30);
    expect(overallEtaSec([file({ state: 'queued' })], 30)).toBeNull();
    expect(overallEtaSec(files, 0)).toBeNull();
    expect(overallEtaSec(files, Number.NaN)).toBeNull();
  });
});

describe('progress lines', () => {
  it('shows a file in progress as one bar with its stage and time left, within the width', () => {
    const line = fileBarLine(
      file({
        name: 'a-rather-long-file-name-for-a-bar.wav',
        state: 'running',
        percent: 42,
        stage: 'transcribe',
        etaSec: 12,
      }),
      80,
    );
    expect(line).toMatch(/^a-rather-long-file-… +\[█+░+\] {2}42% {2}transcribe {2}left 0:12$/);
    expect([...line].length).toBeLessThan(80);
    expect(fileBarLine(file(), 80)).toMatch(/\] {3}0% {2}queued$/);
    expect(fileBarLine(file({ state: 'running', stage: 'decode' }), 80)).toMatch(/left —$/);
  });

  it('the total says how many finished, and reads 50% (not 100%) with one of two done', () => {
    const model = {
      startedAt: 0,
      files: [file({ state: 'done' }), file({ state: 'queued', name: 'b.wav' })],
    };
    const line = totalLine(model, 10_000, 100);
    expect(line).toMatch(/^all files +\[█+░+\] {2}50% {2}1\/2 finished {2}left 0:10$/);
    const failed = { startedAt: 0, files: [file({ state: 'failed' })] };
    expect(totalLine(failed, 0, 100)).toMatch(/100% {2}1\/1 finished \(1 failed\) {2}left —$/);
  });

  it('the live area holds only files that have not ended, then the total', () => {
    const model = {
      startedAt: 0,
      files: [
        file({ name: 'done.wav', state: 'done' }),
        file({ name: 'waiting.wav' }),
        file({ name: 'running.wav', state: 'running', percent: 10, stage: 'transcribe' }),
      ],
    };
    const lines = liveLines(model, 1000, 100);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^running\.wav .* 10% {2}transcribe/);
    expect(lines[1]).toMatch(/^waiting\.wav .*queued/);
    expect(lines[2]).toMatch(/^all files/);
  });

  it('a failed file ends in ✗ with its full message on its own line', () => {
    const message = `"fake.wav" is not a media file ffmpeg can read (it may be damaged or in an unsupported format); convert it to a common format such as MP3, WAV or MP4 and try again.`;
    expect(resultLines(file({ path: '/in/fake.wav', state: 'failed', message }))).toEqual([
      '✗ /in/fake.wav',
      `  ${message}`,
    ]);
    expect(
      resultLines(file({ state: 'done', cached: true, outputs: ['/out/a.srt', '/out/a.vtt'] })),
    ).toEqual(['✓ /in/a.wav (cached) → /out/a.srt, /out/a.vtt']);
  });

  it('sums up the run', () => {
    expect(
      summaryLine([
        file({ state: 'done', cached: true }),
        file({ state: 'done' }),
        file({ state: 'failed' }),
      ]),
    ).toBe('3 files: 2 done (1 from the cache), 1 failed.');
    expect(summaryLine([file({ state: 'done' })])).toBe('1 file: 1 done, 0 failed.');
  });
});

describe('the progress view on a terminal', () => {
  it('leaves one ✓ or ✗ per file and no bar behind, with the full message of a failure', () => {
    let clock = 0;
    const term = terminal(true, 100);
    const view = createProgressView({ ...term, now: () => clock, redrawMs: 0 });
    const good = view.add('/in/good.wav', 'good.wav');
    const fake = view.add('/in/fake.wav', 'fake.wav');
    const message =
      '"fake.wav" is not a media file ffmpeg can read (it may be damaged or in an unsupported format); convert it to a common format such as MP3, WAV or MP4 and try again.';
    good.duration(11);
    good.update({ percent: 10, stage: 'transcribe', etaSec: Number.NaN });
    clock = 2000;
    fake.failed(message);
    const middle = terminalScreen(term.text(), 100).filter(Boolean);
    // While good.wav runs: the failure above, its bar and the total under it.
    expect(middle[0]).toBe('✗ /in/fake.wav');
    expect(middle.slice(1).join(' ')).toContain(message.slice(0, 60));
    expect(middle.at(-2)).toMatch(/^good\.wav .* 10% {2}transcribe {2}left —$/);
    expect(middle.at(-1)).toMatch(/^all files .* 55% {2}1\/2 finished \(1 failed\)/);

    good.update({ percent: 100, stage: 'finalize', etaSec: 0 });
    good.done({ cached: false, outputs: ['/out/good.srt'] });
    view.stop();
    const screen = terminalScreen(term.text(), 100).filter(Boolean);
    expect(screen[0]).toBe('✗ /in/fake.wav');
    expect(screen.at(-1)).toBe('✓ /in/good.wav → /out/good.srt');
    expect(screen.join('\n')).not.toMatch(/%|\[█|NaN/);
    expect(term.text()).not.toContain('NaN');
  });

  it('a file that joins later (--watch) joins the total', async () => {
    const term = terminal(true, 100);
    const view = createProgressView({ ...term, now: () => 0, redrawMs: 0 });
    view.add('/in/a.wav', 'a.wav').done({ cached: false, outputs: [] });
    view.note('Watching /in for new media (Ctrl-C to stop)…');
    view.add('/in/b.wav', 'b.wav').update({ percent: 0, stage: 'decode', etaSec: null });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const screen = terminalScreen(term.text(), 100).filter(Boolean);
    expect(screen).toEqual([
      '✓ /in/a.wav',
      'Watching /in for new media (Ctrl-C to stop)…',
      expect.stringMatching(/^b\.wav .* {2}0% {2}decode/) as unknown,
      expect.stringMatching(/^all files .* 50% {2}1\/2 finished/) as unknown,
    ]);
  });
});

describe('the progress view without a terminal', () => {
  it('writes plain lines: a stage change or 10 more percent, then the results', () => {
    const term = terminal(false);
    const view = createProgressView({ ...term });
    const a = view.add('/in/a.wav', 'a.wav');
    a.update({ percent: 1, stage: 'decode', etaSec: null });
    a.update({ percent: 2, stage: 'decode', etaSec: null });
    a.update({ percent: 15, stage: 'transcribe', etaSec: 3 });
    a.update({ percent: 16, stage: 'transcribe', etaSec: 3 });
    a.failed('It broke, and this is why.');
    view.stop();
    expect(term.text()).toBe(
      [
        'a.wav: decode 1% · all files 1%, 0/1 finished',
        'a.wav: transcribe 15% · all files 15%, 0/1 finished',
        '✗ /in/a.wav',
        '  It broke, and this is why.',
        '',
      ].join('\n'),
    );
    expect(term.text()).not.toContain('\x1b');
  });
});
