import { mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { SystemInfo } from '../contract/system';
import { createTokenService, type TokenService } from './auth/tokens';
import {
  createDiarizationService,
  diarizationWorkerEntry,
  type DiarizationService,
} from './diarization/neural/diarization-service';
import { acquireEngineLock, type EngineLock } from './engine-lock';
import { createDocumentWorker } from './documents/document-worker';
import { EngineError } from './errors';
import { createMediaService, type MediaService } from './media/media-service';
import { sweepLeftovers } from './media/leftovers';
import { defaultCatalogPath, loadCatalog } from './models/catalog';
import { createModelManager, type ModelManager } from './models/model-manager';
import { machineFacts } from './models/recommend';
import { dataLayout } from './paths';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { openDatabase } from './store/database';
import { createRepositories, type Repositories } from './store/repositories';
import { forkNodeWorkers, type SpawnWorker } from './pool/worker-process';
import { createJobRunner, type JobRunner } from './jobs/job-runner';
import { createEngineLog, type EngineLogger } from './log/engine-log';
import { logWorkerExits } from './log/worker-log';
import { createLiveService, type LiveService } from './live/live-service';
import { createVoiceLibrary, type VoiceLibrary } from './speakers/voice-library';
import { createTaskTracker, type TaskTracker } from './task-tracker';
import { createExportJobs, type ExportJobs } from './transcription/export-job';
import { retranscribeSpanJob } from './transcription/retranscribe-span-job';
import { transcribeJob } from './transcription/transcribe-job';
import {
  createTranscriptionService,
  type TranscriptionService,
} from './transcription/transcription-service';
import { createWhisperService, type WhisperService } from './transcription/whisper-service';
import { studioVersion } from './version';

export interface EngineOptions {
  /** Folder holding the library database, downloaded models and caches. Created if missing. */
  dataDir: string;
  /** The model catalog. @default models/catalog.json of this install */
  catalogPath?: string;
  /** Environment read for FFMPEG_PATH / FFPROBE_PATH / PATH. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Starts a whisper worker process. The desktop app passes Electron's utilityProcess here.
   * @default Node child processes running src-main/engine/pool/worker-entry.ts
   */
  spawnWorker?: SpawnWorker;
  /**
   * Starts the speaker-diarization worker process (sherpa-onnx). The desktop app passes
   * Electron's utilityProcess here.
   * @default Node child processes running src-main/engine/diarization/neural/diarization-worker-entry.ts
   */
  spawnDiarizationWorker?: SpawnWorker;
  /**
   * What this engine is, named to a second engine refused on the same data folder: "serve",
   * "desktop app", "transcribe"…  @default 'an engine'
   */
  owner?: string;
  /**
   * Share the data folder with a running engine instead of holding it: for short CLI tools that
   * read the library or change single rows (tokens, search, probe, model list). A shared engine
   * takes no lock, sweeps no leftovers and cannot run jobs.
   * @default false: the engine holds the folder's lock for its life, and a second engine on the
   * folder is refused with ENGINE_BUSY naming this one
   */
  shared?: boolean;
  /**
   * Where the engine logs (engine start and stop, failed jobs, crashed workers, failed downloads,
   * the API's server errors). The caller keeps it open and closes it.
   * @default a pino logger writing to <dataDir>/logs/engine.log (log/engine-log.ts), rotated;
   * closed by `shutdown`
   */
  logger?: EngineLogger;
  /** The file `logger` writes to, shown in Settings › System. @default null with `logger` */
  logFile?: string | null;
}

export type EngineState = 'running' | 'shutting-down' | 'closed';

/**
 * The transcription engine: a plain Node library shared by the desktop app, `serve` and the CLI.
 * Not thread-safe: one engine per process, used from the main thread.
 */
export interface Engine {
  readonly version: string;
  readonly dataDir: string;
  readonly state: EngineState;
  readonly repos: Repositories;
  readonly settings: SettingsService;
  readonly media: MediaService;
  readonly models: ModelManager;
  /** Every transcription runs here, in the whisper worker pool. */
  readonly whisper: WhisperService;
  /** Neural speaker diarization, in its own worker process (started on first use). */
  readonly diarization: DiarizationService;
  /**
   * "Transcribe this media": the Settings defaults, the job, the one-off file. Every face (API,
   * CLI, OpenAI endpoint, editor) starts transcriptions here.
   */
  readonly transcriptions: TranscriptionService;
  /** Durable jobs (transcribe, …). Call `jobs.start()` to run them. */
  readonly jobs: JobRunner;
  /** Live-caption sessions (`WS /v1/live`), decoded on the pool's live lane. */
  readonly live: LiveService;
  /** Transcript speakers and the voice library (names that carry across files). */
  readonly voices: VoiceLibrary;
  /** The files a crash had left in uploads/ and tmp/, removed as the engine started. */
  readonly leftoversSwept: Promise<string[]>;
  /** Long operations run through this so that shutdown can cancel them. */
  readonly tasks: TaskTracker;
  /** API bearer tokens (stored ones and the in-memory UI session token). */
  readonly tokens: TokenService;
  /** Export jobs: where they may write (checked at submit and at run). */
  readonly exports: ExportJobs;
  /** The data folder's lock (engine-lock.ts); undefined for a shared engine. */
  readonly folderLock: EngineLock | undefined;
  /** The engine log (see EngineOptions.logger). */
  readonly log: EngineLogger;
  /** The file the log goes to; null when the caller's logger writes elsewhere. */
  readonly logFile: string | null;
  system(): Promise<SystemInfo>;
  /**
   * Stops accepting work, cancels running operations (downloads keep their partial file to
   * resume), waits for them to settle and closes the database. Safe to call twice.
   */
  shutdown(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const { dataDir, env = process.env } = options;
  const layout = dataLayout(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Cannot create the data folder ${dataDir}: ${(error as Error).message}. Choose a folder you can write to.`,
      { cause: error, details: { path: dataDir } },
    );
  }
  const catalog = loadCatalog(options.catalogPath ?? defaultCatalogPath());
  const folderLock = options.shared
    ? undefined
    : acquireEngineLock(dataDir, options.owner ?? 'an engine');
  // Only the engine that holds the folder rotates the log; a shared one appends beside it.
  const ownLog = options.logger ? undefined : createEngineLog({ dataDir, rotate: !!folderLock });
  const log = options.logger ?? ownLog!.logger;
  const logFile = ownLog ? ownLog.file : (options.logFile ?? null);
  let db;
  try {
    db = openDatabase(layout.database);
  } catch (error) {
    folderLock?.release();
    void ownLog?.close();
    throw error;
  }
  const repos = createRepositories(db);
  const settings = createSettingsService(repos.settings);
  const tasks = createTaskTracker();
  const tokens = createTokenService({ repo: repos.tokens });
  const media = createMediaService({
    repo: repos.media,
    settings,
    env,
    peaksDir: layout.peaks,
    uploadsDir: layout.uploads,
    // Its jobs stop first: a job left writing the transcript of a removed item would fail late.
    beforeRemove: (id) =>
      jobs.cancelForMedia(
        id,
        'The media was removed from the library while the job was waiting or running.',
      ),
  });
  // What a crash left in uploads/ and tmp/ earlier, in the background. It only removes files
  // (the library is read here, once), so shutdown need not wait for it.
  const referenced = repos.media.pathsUnder(layout.uploads);
  // A shared engine leaves that to the engine that holds the folder.
  const leftoversSwept = folderLock
    ? sweepLeftovers({
        uploadsDir: layout.uploads,
        tempDir: layout.temp,
        isReferenced: (path) => referenced.has(path),
      }).catch((): string[] => [])
    : Promise.resolve([]);
  // The whisper service (just below) knows the worker plan a recommended model must fit.
  const planSource: { whisper?: WhisperService } = {};
  const models = createModelManager({
    catalog,
    modelsDir: layout.models,
    repo: repos.models,
    log,
    suggestion: {
      language: () => settings.get().defaultLanguage,
      machine: () =>
        machineFacts({
          cpus: cpus().length,
          totalMemoryMb: Math.round(totalmem() / 1024 ** 2),
          whisper: planSource.whisper?.status() ?? null,
        }),
    },
  });
  const whisper = createWhisperService({
    models,
    catalog,
    settings,
    spawnWorker: logWorkerExits(
      options.spawnWorker ?? forkNodeWorkers(),
      'whisper',
      log,
      () => state === 'running',
    ),
  });
  planSource.whisper = whisper;
  const diarization = createDiarizationService({
    spawnWorker: logWorkerExits(
      options.spawnDiarizationWorker ?? forkNodeWorkers(diarizationWorkerEntry),
      'diarization',
      log,
      () => state === 'running',
    ),
  });

  const exportJobs = createExportJobs({ repos, settings, exportsDir: layout.exports });
  // Long documents are assembled (speakers, guards, glossary, wrap) off the event loop.
  const documents = createDocumentWorker();
  const pipelineDeps = {
    repos,
    media,
    models,
    whisper,
    diarization,
    documents,
    engineVersion: studioVersion,
  };
  const transcribe = transcribeJob(pipelineDeps);
  const spanJob = retranscribeSpanJob(pipelineDeps);
  const runner = createJobRunner({
    repo: repos.jobs,
    tempRoot: layout.temp,
    // Two at a time, so one job decodes and detects speech while another uses the workers.
    concurrency: 2,
    maxQueued: () => settings.get().maxQueuedJobs,
    log,
    jobs: [transcribe, spanJob, exportJobs.definition],
  });
  // Only the engine that holds the folder runs jobs: two runners would start the same ones.
  const jobs: JobRunner = folderLock
    ? runner
    : {
        ...runner,
        start: () =>
          Promise.reject(
            new EngineError(
              'INVALID_ARGUMENT',
              'This engine shares its data folder with another and cannot run jobs; create it without `shared` to run them.',
            ),
          ),
      };

  const transcriptions = createTranscriptionService({
    ...pipelineDeps,
    settings,
    jobs,
    transcribeJob: transcribe,
    spanJob,
  });

  const live = createLiveService({
    whisper,
    models,
    settings,
    library: { media, repos, settings },
  });

  let state: EngineState = 'running';
  let closing: Promise<void> | undefined;
  // A shared engine (a short CLI command beside serve) does not rotate the log, so it adds to it
  // only what goes wrong: its start and stop are debug lines.
  const lifeLevel = folderLock ? 'info' : 'debug';
  log[lifeLevel](
    { version: studioVersion, dataDir, owner: options.owner ?? null, shared: !folderLock },
    'engine started',
  );

  return {
    version: studioVersion,
    dataDir,
    get state() {
      return state;
    },
    repos,
    settings,
    media,
    models,
    whisper,
    diarization,
    jobs,
    transcriptions,
    live,
    voices: createVoiceLibrary(repos),
    leftoversSwept,
    tasks,
    tokens,
    folderLock,
    exports: exportJobs,
    log,
    logFile,
    async system() {
      const ffmpeg = await media.toolStatus();
      return {
        version: studioVersion,
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: cpus().length,
        totalMemoryMb: Math.round(totalmem() / 1024 ** 2),
        dataDir,
        logFile,
        ffmpeg,
        whisper: await whisper.system(),
      };
    },
    shutdown() {
      closing ??= (async () => {
        state = 'shutting-down';
        await Promise.all([tasks.drain(), jobs.stop(), live.close()]);
        await Promise.all([whisper.close(), diarization.close(), documents.close()]);
        models.dispose();
        db.close();
        folderLock?.release();
        state = 'closed';
        log[lifeLevel]('engine stopped');
        await ownLog?.close();
      })();
      return closing;
    },
  };
}
