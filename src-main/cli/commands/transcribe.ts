import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { watch } from 'chokidar';
import { glossary as glossarySchema } from '../../contract/glossary';
import type { TranscribeRequestParams } from '../../contract/jobs';
import { speakerDetection, type SpeakerDetection } from '../../contract/speakers';
import type { Engine } from '../../engine/create-engine';
import { EngineError, isEngineError } from '../../engine/errors';
import { checkExportFormat, writeExport, type ExportFormat } from '../../engine/exports/index';
import { sha256File } from '../../engine/hash-file';
import { findMediaFiles, hasMediaExtension } from '../../engine/media/media-files';
import { parseOrThrow } from '../../engine/parse';
import type { JobSnapshot } from '../../engine/jobs/job-runner';
import { errorText } from '../../common/remedies';
import { openEngine, type GlobalOptions } from '../global-options';
import { createProgressView, summaryLine, type FileHandle } from '../progress';

/** What is left out comes from the Settings, as in the app and the API. */
interface TranscribeOptions {
  model?: string;
  speakers?: SpeakerDetection;
  format: ExportFormat[];
  out: string;
  language?: string;
  preset?: 'broadcast' | 'social';
  vad?: boolean;
  glossary?: string;
  watch?: string;
}

const parseFormats = (value: string): ExportFormat[] => {
  try {
    return [...new Set(value.split(',').map((f) => checkExportFormat(f.trim())))];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** `--speakers`: off, auto, channels, a count ("2") or a range ("2-4"). */
export function parseSpeakers(value: string): SpeakerDetection {
  const text = value.trim().toLowerCase();
  const range = /^(\d+)-(\d+)$/.exec(text);
  const candidate = /^\d+$/.test(text)
    ? { mode: 'auto', count: Number(text) }
    : range
      ? { mode: 'auto', min: Number(range[1]), max: Number(range[2]) }
      : { mode: text };
  const parsed = speakerDetection.safeParse(candidate);
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `"${value}" is not a speaker choice: use off, auto, channels, a number of speakers (2) or a range (2-4).`,
    );
  }
  return parsed.data;
}

/** A catalog or imported model id, or a model file (imported once, found again by its checksum). */
async function resolveModel(engine: Engine, model: string): Promise<string> {
  if (existsSync(model) && statSync(model).isFile()) {
    const sha = await sha256File(model);
    const known = engine.repos.models
      .list()
      .find((r) => r.sha256 === sha && r.status === 'ready' && existsSync(r.path));
    return known?.id ?? (await engine.models.importFile(model)).id;
  }
  if (!engine.models.get(model)) {
    // The remedy (where models are listed) is MODEL_UNKNOWN's, worded by each face.
    throw new EngineError('MODEL_UNKNOWN', `"${model}" is neither a model id nor a model file.`, {
      details: { model, modelId: model },
    });
  }
  engine.models.resolvePath(model);
  return model;
}

function waitForJob(
  engine: Engine,
  id: string,
  onUpdate: (job: JobSnapshot) => void,
): Promise<JobSnapshot> {
  return new Promise((resolveJob) => {
    const off = engine.jobs.onEvent((event) => {
      if (event.type !== 'job' || event.job.id !== id) return;
      onUpdate(event.job);
      if (['completed', 'failed', 'cancelled'].includes(event.job.state)) {
        off();
        resolveJob(event.job);
      }
    });
  });
}

export function registerTranscribeCommand(program: Command): void {
  program
    .command('transcribe')
    .description('transcribe files and folders (recursively) and export the results')
    .argument('[inputs...]', 'media files or folders')
    .option(
      '-m, --model <id|path>',
      'model id from `models list`, or a model file (default: the default model of Settings)',
    )
    .addOption(
      new Option('-f, --format <list>', 'export formats: srt,vtt,txt,json,csv,docx')
        .argParser(parseFormats)
        // Shown as written on the command line, not as the array it becomes.
        .default(['srt'] satisfies ExportFormat[], 'srt'),
    )
    .option('-o, --out <dir>', 'folder for the exports', '.')
    .option(
      '-l, --language <code>',
      "spoken language (ISO 639-1), or 'auto' (default: Settings' default language)",
    )
    .option('--preset <name>', 'caption preset: broadcast or social (default: Settings)')
    .option('--vad', 'skip silence with the voice-activity model (default: Settings)')
    .option('--no-vad', 'do not skip silence')
    .option(
      '--speakers <choice>',
      'find speakers: off, auto, channels (one per channel), N, or MIN-MAX (default: Settings)',
      parseSpeakers,
    )
    .option('--glossary <file>', 'glossary JSON: { terms, rules, targets }')
    .option('--watch <dir>', 'keep running and transcribe new files that appear in this folder')
    .action(async (inputs: string[], options: TranscribeOptions, command: Command) => {
      if (inputs.length === 0 && !options.watch)
        throw new InvalidArgumentError('name at least one file or folder, or --watch <dir>.');
      if (options.preset !== undefined && !['broadcast', 'social'].includes(options.preset)) {
        throw new InvalidArgumentError(
          `unknown preset "${options.preset}"; choose broadcast or social.`,
        );
      }
      const glossary = options.glossary
        ? parseOrThrow(
            glossarySchema,
            JSON.parse(await readFile(options.glossary, 'utf8')),
            `glossary (${options.glossary})`,
          )
        : undefined;
      const files = await findMediaFiles(inputs);
      const outDir = resolve(options.out);
      await mkdir(outDir, { recursive: true }).catch((error: unknown) => {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Cannot create the output folder ${outDir}: ${(error as Error).message}.`,
        );
      });
      // It runs jobs, so it needs the folder to itself: beside a running serve or desktop app it
      // is refused (ENGINE_BUSY, naming that one) before it touches anything.
      const engine = openEngine(command, { owner: 'transcribe' });
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Bars on a terminal, plain lines otherwise; each file ends in one ✓ or ✗ line as it ends.
      const progress = createProgressView({ stdout: process.stdout, stderr: process.stderr });
      const { dataDir } = command.optsWithGlobals<GlobalOptions>();
      /** A failure as the person at this terminal reads it: the message and the CLI's remedy. */
      const failure = (error: { code: string; message: string; details?: unknown }) =>
        errorText(
          {
            code: error.code,
            message: error.message,
            details: isRecord(error.details) ? error.details : undefined,
          },
          'cli',
          dataDir === undefined ? {} : { dataDir },
        );
      try {
        const modelId = options.model ? await resolveModel(engine, options.model) : undefined;
        // The request as given; engine.transcriptions fills the rest from the Settings (and
        // refuses a bad glossary or a missing model before any file is read).
        const params: TranscribeRequestParams = {
          ...(modelId !== undefined && { modelId }),
          ...(options.language !== undefined && { language: options.language }),
          ...(options.preset !== undefined && { preset: options.preset }),
          ...(options.vad !== undefined && { vad: options.vad }),
          ...(options.speakers !== undefined && { speakers: options.speakers }),
          ...(glossary !== undefined && { glossary }),
        };
        engine.transcriptions.resolve(params);
        await engine.jobs.start({ resume: false });

        const one = async (file: string, bar: FileHandle): Promise<void> => {
          const name = basename(file);
          try {
            const item = await engine.media.add(file, { signal: controller.signal });
            bar.duration(item.durationSec);
            const submitted = engine.transcriptions.submit({ mediaId: item.id, params });
            const cancel = () => engine.jobs.cancel(submitted.id);
            controller.signal.addEventListener('abort', cancel, { once: true });
            const job = await waitForJob(engine, submitted.id, bar.update);
            controller.signal.removeEventListener('abort', cancel);
            if (job.state !== 'completed') {
              bar.failed(job.error ? failure(job.error) : `The transcription was ${job.state}.`);
              return;
            }
            const { transcriptId, cached } = engine.transcriptions.resultOf(job);
            const stored = engine.repos.transcripts.get(transcriptId);
            if (!stored) throw new EngineError('NOT_FOUND', 'The transcript was deleted.');
            const doc = stored.document;
            const stem = basename(file, extname(file));
            const outputs: string[] = [];
            for (const format of options.format) {
              const target = join(outDir, `${stem}.${format}`);
              await writeExport(doc, format, target, { title: name });
              outputs.push(target);
            }
            bar.done({ cached, outputs });
          } catch (error) {
            bar.failed(
              isEngineError(error)
                ? failure(error)
                : error instanceof Error
                  ? error.message
                  : String(error),
            );
          }
        };
        /** Every file joins the total as soon as it is known, then runs. */
        const start = (file: string) => one(file, progress.add(file, basename(file)));

        await Promise.all(files.map(start));
        if (options.watch && !controller.signal.aborted) {
          const watcher = watch(resolve(options.watch), {
            ignoreInitial: true,
            awaitWriteFinish: { stabilityThreshold: 1000 },
          });
          // Files there before the first scan ends count as old; say "watching" only after it.
          await new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
          progress.note(`Watching ${resolve(options.watch)} for new media (Ctrl-C to stop)…`);
          const running = new Set<Promise<void>>();
          watcher.on('add', (path) => {
            if (!hasMediaExtension(path) || controller.signal.aborted) return;
            const run = start(path).finally(() => running.delete(run));
            running.add(run);
          });
          await new Promise((resolveWait) =>
            controller.signal.addEventListener('abort', resolveWait, { once: true }),
          );
          await watcher.close();
          // Ctrl-C cancels the jobs still running; their files end as cancelled.
          await Promise.all(running);
        }
      } finally {
        progress.stop();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await engine.shutdown();
      }
      if (progress.files.length > 0 || !options.watch) {
        process.stdout.write(`${summaryLine(progress.files)}\n`);
      }
      if (progress.files.some((file) => file.state !== 'done')) process.exitCode = 1;
    });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
