import { mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { SystemInfo } from '../contract/system';
import { createTokenService, type TokenService } from './auth/tokens';
import {
  createDiarizationService,
  diarizationWorkerEntry,
  type DiarizationService,
} from './diarization/neural/diarization-service';
import { EngineError } from './errors';
import { createMediaService, type MediaService } from './media/media-service';
import { sweepLeftovers } from './media/leftovers';
import { defaultCatalogPath, loadCatalog } from './models/catalog';
import { createModelManager, type ModelManager } from './models/model-manager';
import { dataLayout } from './paths';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { openDatabase } from './store/database';
import { createRepositories, type Repositories } from './store/repositories';
import { forkNodeWorkers, type SpawnWorker } from './pool/worker-process';
import { createJobRunner, type JobRunner } from './jobs/job-runner';
import { createLiveService, type LiveService } from './live/live-service';
import { createVoiceLibrary, type VoiceLibrary } from './speakers/voice-library';
import { createTaskTracker, type TaskTracker } from './task-tracker';
import { createExportHandler } from './transcription/export-job';
import { createRetranscribeSpanHandler } from './transcription/retranscribe-span-job';
import { createTranscribeHandler } from './transcription/transcribe-job';
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
  const db = openDatabase(layout.database);
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
  });
  // What a crash left in uploads/ and tmp/ earlier, in the background. It only removes files
  // (the library is read here, once), so shutdown need not wait for it.
  const referenced = repos.media.pathsUnder(layout.uploads);
  const leftoversSwept = sweepLeftovers({
    uploadsDir: layout.uploads,
    tempDir: layout.temp,
    isReferenced: (path) => referenced.has(path),
  }).catch((): string[] => []);
  const models = createModelManager({ catalog, modelsDir: layout.models, repo: repos.models });
  const whisper = createWhisperService({
    models,
    catalog,
    settings,
    spawnWorker: options.spawnWorker ?? forkNodeWorkers(),
  });
  const diarization = createDiarizationService({
    spawnWorker: options.spawnDiarizationWorker ?? forkNodeWorkers(diarizationWorkerEntry),
  });

  const jobs = createJobRunner({
    repo: repos.jobs,
    tempRoot: layout.temp,
    // Two at a time, so one job decodes and detects speech while another uses the workers.
    concurrency: 2,
    maxQueued: () => settings.get().maxQueuedJobs,
    handlers: {
      transcribe: createTranscribeHandler({
        repos,
        media,
        models,
        whisper,
        diarization,
        engineVersion: studioVersion,
      }),
      'retranscribe-span': createRetranscribeSpanHandler({ repos, media, models, whisper }),
      export: createExportHandler({ repos }),
    },
  });

  const live = createLiveService({
    whisper,
    models,
    settings,
    library: { media, repos, settings },
  });

  let state: EngineState = 'running';
  let closing: Promise<void> | undefined;

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
    live,
    voices: createVoiceLibrary(repos),
    leftoversSwept,
    tasks,
    tokens,
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
        ffmpeg,
        whisper: whisper.status(),
      };
    },
    shutdown() {
      closing ??= (async () => {
        state = 'shutting-down';
        await Promise.all([tasks.drain(), jobs.stop(), live.close()]);
        await Promise.all([whisper.close(), diarization.close()]);
        models.dispose();
        db.close();
        state = 'closed';
      })();
      return closing;
    },
  };
}
