import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
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
import { openEngine } from '../global-options';

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

interface Outcome {
  file: string;
  ok: boolean;
  cached?: boolean;
  message?: string;
  outputs?: string[];
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
    throw new EngineError(
      'MODEL_UNKNOWN',
      `"${model}" is neither a model id (see \`npm run cli -- models list\`) nor a model file.`,
    );
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

/** Shows a bar per file and one overall on a terminal, plain lines otherwise. */
function createProgress(total: number) {
  if (!process.stderr.isTTY) {
    return {
      file: (name: string) => ({
        update: (job: JobSnapshot) =>
          process.stderr.write(
            `${name}: ${job.state}${job.stage ? ` (${job.stage})` : ''} ${job.percent}%\n`,
          ),
        stop: () => undefined,
      }),
      done: () => undefined,
      stop: () => undefined,
    };
  }
  const bars = new MultiBar(
    {
      format: '{name} [{bar}] {percentage}% {stage} {eta_formatted}',
      clearOnComplete: false,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const overall = bars.create(total, 0, { name: 'all files'.padEnd(24), stage: '' });
  return {
    file(name: string) {
      const bar: SingleBar = bars.create(100, 0, {
        name: name.slice(0, 24).padEnd(24),
        stage: 'queued',
      });
      return {
        update: (job: JobSnapshot) => bar.update(job.percent, { stage: job.stage ?? job.state }),
        stop: () => bar.stop(),
      };
    },
    done: () => overall.increment(),
    stop: () => bars.stop(),
  };
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
    .option('-f, --format <list>', `export formats: srt,vtt,txt,json,csv,docx`, parseFormats, [
      'srt',
    ] as ExportFormat[])
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
      const outcomes: Outcome[] = [];
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
        const progress = createProgress(files.length);

        const one = async (file: string): Promise<Outcome> => {
          const name = basename(file);
          const bar = progress.file(name);
          try {
            const item = await engine.media.add(file, { signal: controller.signal });
            const submitted = engine.transcriptions.submit({ mediaId: item.id, params });
            const cancel = () => engine.jobs.cancel(submitted.id);
            controller.signal.addEventListener('abort', cancel, { once: true });
            const job = await waitForJob(engine, submitted.id, bar.update);
            controller.signal.removeEventListener('abort', cancel);
            if (job.state !== 'completed')
              return { file, ok: false, message: job.error?.message ?? job.state };
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
            return { file, ok: true, cached, outputs };
          } catch (error) {
            return {
              file,
              ok: false,
              message: isEngineError(error) ? error.message : (error as Error).message,
            };
          } finally {
            bar.stop();
            progress.done();
          }
        };

        outcomes.push(...(await Promise.all(files.map(one))));
        if (options.watch && !controller.signal.aborted) {
          const watcher = watch(resolve(options.watch), {
            ignoreInitial: true,
            awaitWriteFinish: { stabilityThreshold: 1000 },
          });
          // Files there before the first scan ends count as old; say "watching" only after it.
          await new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
          process.stderr.write(
            `Watching ${resolve(options.watch)} for new media (Ctrl-C to stop)…\n`,
          );
          watcher.on('add', (path) => {
            if (!hasMediaExtension(path)) return;
            void one(path).then((outcome) => {
              outcomes.push(outcome);
              report([outcome]);
            });
          });
          await new Promise((resolveWait) =>
            controller.signal.addEventListener('abort', resolveWait, { once: true }),
          );
          await watcher.close();
        }
        progress.stop();
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await engine.shutdown();
      }
      report(outcomes);
      const failed = outcomes.filter((o) => !o.ok);
      if (!options.watch) {
        const cached = outcomes.filter((o) => o.cached).length;
        process.stdout.write(
          `${outcomes.length} file${outcomes.length === 1 ? '' : 's'}: ${outcomes.length - failed.length} done${cached ? ` (${cached} from the cache)` : ''}, ${failed.length} failed.\n`,
        );
      }
      if (failed.length > 0) process.exitCode = 1;
    });
}

function report(outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    if (outcome.ok) {
      process.stdout.write(
        `✓ ${outcome.file}${outcome.cached ? ' (cached)' : ''} → ${outcome.outputs?.join(', ')}\n`,
      );
    } else {
      process.stdout.write(`✗ ${outcome.file}: ${outcome.message}\n`);
    }
  }
}
