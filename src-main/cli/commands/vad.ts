import type { Command } from 'commander';
import { EngineError } from '../../engine/errors';
import { decodeAudio } from '../../engine/media/decode';
import {
  DEFAULT_VAD_MODEL_ID,
  detectSpeechRegions,
  type SpeechRegionsOptions,
} from '../../engine/vad/speech-regions';
import { withEngine } from '../global-options';

/** A stretch of speech in seconds, as this command prints it. */
interface SecondsRegion {
  start: number;
  end: number;
}

interface VadCliOptions {
  json?: boolean;
  model: string;
  threshold: string;
  minSpeechMs: string;
  minSilenceMs: string;
  speechPadMs: string;
  maxSpeechSec?: string;
}

/** One numeric flag: its text, what it must be, and the option it sets. */
function numberFlag(
  flag: string,
  text: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new EngineError('INVALID_ARGUMENT', `${flag} must be ${expected}; got "${text}".`, {
      details: { option: flag },
    });
  }
  return n;
}

function vadOptions(options: VadCliOptions): SpeechRegionsOptions {
  const wholeMs = (n: number) => Number.isInteger(n) && n >= 0;
  return {
    threshold: numberFlag(
      '--threshold',
      options.threshold,
      (n) => n > 0 && n < 1,
      'a probability between 0 and 1 (exclusive)',
    ),
    minSpeechDurationMs: numberFlag(
      '--min-speech-ms',
      options.minSpeechMs,
      wholeMs,
      'a whole number of ms ≥ 0',
    ),
    minSilenceDurationMs: numberFlag(
      '--min-silence-ms',
      options.minSilenceMs,
      wholeMs,
      'a whole number of ms ≥ 0',
    ),
    speechPadMs: numberFlag(
      '--speech-pad-ms',
      options.speechPadMs,
      wholeMs,
      'a whole number of ms ≥ 0',
    ),
    ...(options.maxSpeechSec === undefined
      ? {}
      : {
          maxSpeechDurationS: numberFlag(
            '--max-speech-sec',
            options.maxSpeechSec,
            (n) => n > 0,
            'a number of seconds > 0',
          ),
        }),
  };
}

/** 75.5 → "1:15.500"; 3723.25 → "1:02:03.250". */
export function formatClock(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalSec = Math.floor(totalMs / 1000);
  const s = totalSec % 60;
  const m = Math.floor(totalSec / 60) % 60;
  const h = Math.floor(totalSec / 3600);
  const tail = `${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${tail}` : `${m}:${tail}`;
}

/** `[{"start":0.320,"end":2.270},…]`: seconds with exactly three decimals (valid JSON). */
export function regionsJson(regions: readonly SecondsRegion[]): string {
  return `[${regions.map((r) => `{"start":${r.start.toFixed(3)},"end":${r.end.toFixed(3)}}`).join(',')}]`;
}

function regionsTable(regions: readonly SecondsRegion[], durationSec: number): string {
  const rows = regions.map((r, i) => [
    String(i + 1),
    formatClock(r.start),
    formatClock(r.end),
    `${(r.end - r.start).toFixed(3)} s`,
  ]);
  const header = ['#', 'START', 'END', 'LENGTH'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const speech = Math.round(regions.reduce((sum, r) => sum + (r.end - r.start), 0) * 1000) / 1000;
  const share = durationSec > 0 ? ` (${((speech / durationSec) * 100).toFixed(1)}%)` : '';
  const summary =
    `${regions.length} speech region${regions.length === 1 ? '' : 's'}, ` +
    `${speech.toFixed(3)} s of speech in ${durationSec.toFixed(3)} s${share}`;
  return [...(rows.length > 0 ? [line(header), ...rows.map(line)] : []), summary].join('\n');
}

/**
 * `vad <file>`: the speech regions of a media file, found by Silero VAD (the catalog model
 * `silero-vad-v6.2.0` unless `--model` names another VAD model id). The file is probed first,
 * so files that are not media get the same errors as `probe`; long files are decoded and analysed
 * in 5-minute windows, so memory stays flat.
 */
export function registerVadCommand(program: Command): void {
  program
    .command('vad')
    .description('find the speech in a media file with Silero VAD (seconds from the start)')
    .argument('<file>', 'media file (anything ffmpeg reads)')
    .option('--json', 'print [{"start":s,"end":s},…] instead of a table')
    .option('--model <id>', 'VAD model id from `models list`', DEFAULT_VAD_MODEL_ID)
    .option('--threshold <p>', 'speech probability above which a 32 ms frame is speech', '0.5')
    .option('--min-speech-ms <ms>', 'drop speech shorter than this', '250')
    .option('--min-silence-ms <ms>', 'silence must last this long to end speech', '100')
    .option('--speech-pad-ms <ms>', 'padding added before and after each region', '30')
    .option('--max-speech-sec <s>', 'split speech longer than this (default: no limit)')
    .action(async (file: string, options: VadCliOptions, command: Command) => {
      const settings = vadOptions(options);
      const { regions, durationSec } = await withEngine(command, async (engine, signal) => {
        const probe = await engine.media.probe(file, { signal });
        const model = engine.models.get(options.model);
        if (model && model.kind !== 'vad') {
          throw new EngineError(
            'INVALID_ARGUMENT',
            `Model "${options.model}" is a ${model.kind} model, not a voice-activity model; pass a VAD model id such as ${DEFAULT_VAD_MODEL_ID}.`,
            { details: { id: options.model } },
          );
        }
        const vadModelPath = engine.models.resolvePath(options.model);
        const tools = await engine.media.tools();
        const found = await detectSpeechRegions(
          {
            decode: (path, decodeOptions) => decodeAudio(tools, path, decodeOptions),
            vadModelPath,
            // Silero runs in the engine's whisper worker, never in this process.
            detect: (pcm, vadOptions, context) =>
              engine.whisper.detectSpeech(pcm, vadOptions, context),
          },
          probe.path,
          { ...settings, streamIndex: probe.audio.index, signal },
        );
        const regions = found.map((r) => ({ start: r.startMs / 1000, end: r.endMs / 1000 }));
        return { regions, durationSec: probe.durationSec };
      });
      process.stdout.write(
        `${options.json ? regionsJson(regions) : regionsTable(regions, durationSec)}\n`,
      );
    });
}
