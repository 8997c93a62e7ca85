import { randomUUID } from 'node:crypto';
import { existsSync, statSync, type Stats } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ModelStatus } from '../../contract/models';
import { EngineError, isEngineError } from '../errors';
import type { ModelRecord, ModelsRepo } from '../store/models-repo';
import { modelIdPattern, type Catalog, type CatalogEntry, type ModelKind } from './catalog';
import type { Fix } from '../../common/remedies';
import { downloadFile, partialPath, type DownloadProgress } from './downloader';
import { sha256File } from '../hash-file';
import type { EngineLogger } from '../log/engine-log';
import { modelsFolderError } from './folder-error';
import { readModelHeader, type WhisperFileFacts } from './model-header';
import { recommendWhisperModel, type MachineFacts } from './recommend';
import type { ModelRecommendation } from '../../contract/models';

export type { ModelStatus };
export type ModelState = ModelStatus['status'];

export interface ModelEvent {
  type: 'model';
  id: string;
  status: ModelState;
  /** While downloading. */
  progress?: DownloadProgress;
  /** Why the model is corrupt, or why its last download failed. */
  error?: string;
}

export interface ModelManagerDeps {
  catalog: Catalog;
  /** Downloads land at `modelsDir/<fileName>`, imports of unknown files at `modelsDir/imported/`. */
  modelsDir: string;
  repo: ModelsRepo;
  /** @default globalThis.fetch */
  fetchImpl?: typeof fetch;
  /** A download fails when no bytes arrive for this long. @default 30_000 */
  stallTimeoutMs?: number;
  /** Told of downloads that fail (the engine log). */
  log?: Pick<EngineLogger, 'error' | 'info'>;
  /**
   * The machine and the default language, read when a status is built: the catalog Whisper
   * model that fits them (recommend.ts) is the one marked `recommended`. Without it, the
   * catalog's own `recommended` flags.
   */
  suggestion?: { machine(): MachineFacts; language(): string };
}

export interface ImportOptions {
  /** Id for a file that matches no catalog entry. @default derived from the file name */
  id?: string;
  /** Kind of a file that matches no catalog entry; whisper files must carry the ggml magic. @default 'whisper' */
  kind?: ModelKind;
}

export interface ModelManager {
  /**
   * Settles once the headers of the imported whisper files found at start have been read (their
   * language and size class); until then those models show their file name only.
   */
  readonly headersRead: Promise<void>;
  /**
   * Installed models first (catalog ones in catalog order, then imported ones by id), then the
   * rest of the catalog in catalog order.
   */
  list(): ModelStatus[];
  /** undefined when the id is neither in the catalog nor imported. */
  get(id: string): ModelStatus | undefined;
  /**
   * Downloads a catalog model, resuming an interrupted download. Resolves at once when the
   * model is already ready. A second call for an id that is downloading rejects with
   * MODEL_BUSY rather than sharing the first call's promise, so that every caller's signal
   * means what it says.
   */
  download(id: string, options?: { signal?: AbortSignal }): Promise<ModelStatus>;
  /** Aborts a running download (its partial is kept); false when none was running. */
  cancel(id: string): boolean;
  /** Copies a local model file into the models folder. */
  importFile(srcPath: string, options?: ImportOptions): Promise<ModelStatus>;
  /** Removes the file, any partial download and the record; cancels a running download first. */
  delete(id: string): Promise<void>;
  /** Re-hashes the file and records it ready or corrupt. */
  verify(id: string): Promise<ModelStatus>;
  /** Path of a ready model, or MODEL_NOT_READY saying how to get it. */
  resolvePath(id: string): string;
  onEvent(listener: (event: ModelEvent) => void): () => void;
  /**
   * The catalog's Whisper model that fits `machine` (see recommend.ts), for a language ('en'
   * picks an English-only model; anything else, 'auto' included, a multilingual one).
   */
  recommend(machine: MachineFacts, language: string): ModelRecommendation | undefined;
  /** Cancels running downloads (keeping their partials) and refuses new work. */
  dispose(): void;
}

interface ActiveDownload {
  controller: AbortController;
  progress: DownloadProgress;
  /** Resolves once the download has settled either way. */
  settled: Promise<void>;
}

/**
 * The model manager. State lives in three places: the repo records finished files (ready or
 * corrupt), running downloads live in memory, and partial downloads are files on disk.
 * A ready record whose file has vanished is deleted when noticed (at startup and on every
 * lookup), so the model reads as missing again; a corrupt record stays until the model is
 * deleted or downloaded again, because its error is worth showing.
 */
export function createModelManager(deps: ModelManagerDeps): ModelManager {
  const { catalog, modelsDir, repo, fetchImpl, stallTimeoutMs, log, suggestion } = deps;
  const entries = new Map(catalog.models.map((entry) => [entry.id, entry]));
  const downloads = new Map<string, ActiveDownload>();
  const listeners = new Set<(event: ModelEvent) => void>();
  /** Why the last download of a model failed; cleared by a new download, an install or a delete. */
  const failures = new Map<string, NonNullable<ModelStatus['lastError']>>();
  /** What the headers of imported whisper files say (read at import, and again at start). */
  const headers = new Map<string, WhisperFileFacts>();
  let disposed = false;

  const catalogPath = (entry: CatalogEntry) => join(modelsDir, entry.fileName);

  function liveRecord(id: string): ModelRecord | undefined {
    const record = repo.get(id);
    if (record?.status === 'ready' && !existsSync(record.path)) {
      repo.delete(id);
      return undefined;
    }
    return record;
  }

  const headerReads: Promise<void>[] = [];
  for (const record of repo.list()) {
    const live = liveRecord(record.id);
    if (live?.source === 'import' && live.kind === 'whisper' && !entries.has(live.id)) {
      // Only the first bytes, asynchronously; until they are read the model shows its file name.
      const read = readModelHeader(live.path).then(
        ({ whisper }) => {
          if (!whisper || headers.has(live.id)) return;
          headers.set(live.id, whisper);
          emit(live.id);
        },
        () => undefined,
      );
      headerReads.push(read);
    }
  }
  const headersRead = Promise.all(headerReads).then(() => undefined);

  /** The Whisper model marked recommended: the one for this machine when the engine says which. */
  function suggestedId(): string | undefined {
    if (!suggestion) return catalog.models.find((e) => e.kind === 'whisper' && e.recommended)?.id;
    return recommendWhisperModel(catalog.models, suggestion.machine(), suggestion.language())?.id;
  }

  function statusOf(id: string, suggested = suggestedId()): ModelStatus | undefined {
    const entry = entries.get(id);
    const record = liveRecord(id);
    if (!entry && !record) return undefined;
    const active = downloads.get(id);
    const path = record && existsSync(record.path) ? record.path : null;
    const partialBytes = entry && !active ? fileSizeSync(partialPath(catalogPath(entry))) : 0;
    const state: ModelState = active ? 'downloading' : (record?.status ?? 'missing');
    const lastError = (!active && failures.get(id)) || null;
    const corrupt = !active && record?.status === 'corrupt' ? record.error : null;
    return {
      ...describe(id, entry, record, headers.get(id)),
      recommended: entry?.kind === 'whisper' ? id === suggested : (entry?.recommended ?? false),
      status: state,
      path: active ? null : path,
      progress: active ? active.progress : null,
      partialBytes,
      error: corrupt ?? lastError?.message ?? null,
      lastError,
    };
  }

  function emit(id: string): void {
    if (disposed) return;
    const status = statusOf(id);
    const event: ModelEvent = { type: 'model', id, status: status?.status ?? 'missing' };
    if (status?.progress) event.progress = status.progress;
    if (status?.error) event.error = status.error;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not break the download that reported progress.
      }
    }
  }

  /** Details name the remedy (src-main/common/remedies.ts); messages name no command or place. */
  function notReady(id: string, message: string, fix?: Fix): EngineError {
    return new EngineError('MODEL_NOT_READY', message, {
      details: { id, modelId: id, ...(fix && { fix }) },
    });
  }

  /** How to get a model that has no good file: download a catalog one, import any other. */
  function getFix(id: string): Fix {
    return entries.has(id) ? 'download-model' : 'import-model';
  }

  function shuttingDown(what: string): EngineError {
    return new EngineError('SHUTTING_DOWN', `Cannot ${what}: the engine is shutting down.`);
  }

  function busy(id: string): EngineError {
    return new EngineError(
      'MODEL_BUSY',
      `Model "${id}" is being downloaded. Wait for the download to finish or cancel it first.`,
      { details: { id } },
    );
  }

  async function runDownload(
    entry: CatalogEntry,
    active: ActiveDownload,
    signal: AbortSignal | undefined,
  ): Promise<ModelStatus> {
    const { id } = entry;
    const dest = catalogPath(entry);
    try {
      const record = repo.get(id);
      if (record) {
        // Only a corrupt record gets here; its file is useless, and its error would outlive a retry.
        await rm(record.path, { force: true });
        repo.delete(id);
      }
      // A file with no record (the library was reset, or we stopped right after the rename)
      // is adopted when it checks out, saving a download.
      const adopt = !record && existsSync(dest) && (await sha256File(dest)) === entry.sha256;
      const result = adopt
        ? { bytes: entry.sizeBytes, sha256: entry.sha256 }
        : await downloadFile({
            url: entry.url,
            dest,
            expectedSha256: entry.sha256,
            expectedSize: entry.sizeBytes,
            signal: signal
              ? AbortSignal.any([signal, active.controller.signal])
              : active.controller.signal,
            fetchImpl,
            stallTimeoutMs,
            onProgress: (progress) => {
              active.progress = progress;
              emit(id);
            },
          });
      // The database may already be closed once the engine has shut down.
      if (disposed) throw shuttingDown(`record the download of "${id}"`);
      repo.upsert(readyRecord(id, entry.kind, dest, result.bytes, result.sha256, 'download'));
    } catch (error) {
      const stopped = isEngineError(error, 'CANCELLED') || isEngineError(error, 'SHUTTING_DOWN');
      if (stopped) log?.info({ modelId: id }, 'model download stopped');
      else {
        log?.error({ modelId: id, url: entry.url, err: error }, 'model download failed');
        failures.set(id, failureOf(error));
      }
      if (isEngineError(error, 'MODEL_CHECKSUM_MISMATCH') && !disposed) {
        const actual = error.details?.actualSha256;
        repo.upsert({
          id,
          kind: entry.kind,
          path: dest,
          status: 'corrupt',
          sizeBytes: entry.sizeBytes,
          sha256: typeof actual === 'string' ? actual : null,
          source: 'download',
          error: error.message,
        });
      }
      throw error;
    } finally {
      downloads.delete(id);
      emit(id);
    }
    return statusOf(id) as ModelStatus;
  }

  function cancel(id: string): boolean {
    const active = downloads.get(id);
    if (!active) return false;
    active.controller.abort(
      new EngineError(
        'CANCELLED',
        `The download of "${id}" was cancelled. The partial download is kept; download again to resume.`,
        { details: { id } },
      ),
    );
    return true;
  }

  async function copyIn(srcPath: string, options: ImportOptions): Promise<string> {
    const kind = options.kind ?? 'whisper';
    if (options.id !== undefined && !modelIdPattern.test(options.id)) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `"${options.id}" is not a valid model id: use lowercase letters, digits, ".", "_" and "-".`,
        { details: { id: options.id } },
      );
    }
    const size = await importableSize(srcPath);
    await mkdir(modelsDir, { recursive: true }).catch((error: unknown) => {
      throw modelsFolderError(error, modelsDir);
    });
    // Copy first and inspect the copy, so what we record is what we keep.
    const tmp = join(modelsDir, `.import-${randomUUID()}.tmp`);
    try {
      await copyFile(srcPath, tmp).catch((error: unknown) => {
        throw modelsFolderError(error, tmp);
      });
      const sha256 = await sha256File(tmp);
      const entry = catalog.models.find((candidate) => candidate.sha256 === sha256);
      const id = entry?.id ?? options.id ?? idFromFileName(srcPath);
      const named = entries.get(id);
      if (named && named !== entry) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `${srcPath} is not the catalog model "${id}": its sha256 ${sha256} differs from the catalog's ${named.sha256}. ` +
            'Import this file under another id, or get the catalog model.',
          {
            details: {
              path: srcPath,
              id,
              expectedSha256: named.sha256,
              actualSha256: sha256,
              modelId: id,
              fix: 'download-model' satisfies Fix,
            },
          },
        );
      }
      if (downloads.has(id)) throw busy(id);
      const header = kind === 'whisper' ? await readModelHeader(tmp) : undefined;
      if (!entry && header && !header.ggml) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `${srcPath} is not a whisper.cpp model: it does not start with the ggml magic. ` +
            'Choose a ggml model file such as ggml-base.en.bin.',
          { details: { path: srcPath } },
        );
      }
      const dest = entry
        ? catalogPath(entry)
        : join(modelsDir, 'imported', `${id}${extname(srcPath)}`);
      await mkdir(dirname(dest), { recursive: true }).catch((error: unknown) => {
        throw modelsFolderError(error, dirname(dest));
      });
      await rename(tmp, dest).catch((error: unknown) => {
        throw modelsFolderError(error, dest);
      });
      if (entry) await rm(partialPath(dest), { force: true });
      // Re-importing an id replaces its earlier file, which may have had another extension.
      const previous = repo.get(id);
      if (previous && previous.path !== dest) await rm(previous.path, { force: true });
      repo.upsert(readyRecord(id, entry?.kind ?? kind, dest, size, sha256, 'import'));
      failures.delete(id);
      if (header?.whisper && !entry) headers.set(id, header.whisper);
      else headers.delete(id);
      return id;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  return {
    headersRead,

    list() {
      const imported = repo.list().filter((record) => !entries.has(record.id));
      const ids = [
        ...catalog.models.map((entry) => entry.id),
        ...imported.map((record) => record.id),
      ];
      const suggested = suggestedId();
      const all = ids.map((id) => statusOf(id, suggested)).filter((status) => status !== undefined);
      return [
        ...all.filter((status) => status.status === 'ready'),
        ...all.filter((status) => status.status !== 'ready'),
      ];
    },

    get: (id) => statusOf(id),

    download(id, options = {}) {
      if (disposed) return Promise.reject(shuttingDown(`download "${id}"`));
      const entry = entries.get(id);
      if (!entry) {
        return Promise.reject(
          new EngineError(
            'MODEL_UNKNOWN',
            `"${id}" is not in the model catalog, so it cannot be downloaded.`,
            { details: { id, modelId: id, fix: 'import-model' satisfies Fix } },
          ),
        );
      }
      if (downloads.has(id)) return Promise.reject(busy(id));
      const current = statusOf(id) as ModelStatus;
      if (current.status === 'ready') return Promise.resolve(current);
      failures.delete(id);
      const active: ActiveDownload = {
        controller: new AbortController(),
        progress: {
          receivedBytes: current.partialBytes,
          totalBytes: entry.sizeBytes,
          bytesPerSec: 0,
        },
        settled: Promise.resolve(),
      };
      downloads.set(id, active);
      emit(id);
      const promise = runDownload(entry, active, options.signal);
      active.settled = promise.then(
        () => undefined,
        () => undefined,
      );
      return promise;
    },

    cancel,

    async importFile(srcPath, options = {}) {
      if (disposed) throw shuttingDown(`import ${srcPath}`);
      const id = await copyIn(srcPath, options);
      emit(id);
      return statusOf(id) as ModelStatus;
    },

    async delete(id) {
      const active = downloads.get(id);
      if (active) {
        cancel(id);
        await active.settled;
      }
      const entry = entries.get(id);
      const record = repo.get(id);
      const candidates = new Set<string>();
      if (record) candidates.add(record.path);
      if (entry) candidates.add(catalogPath(entry)).add(partialPath(catalogPath(entry)));
      const onDisk = [...candidates].filter((path) => existsSync(path));
      if (!record && onDisk.length === 0) {
        throw new EngineError(
          'NOT_FOUND',
          `Nothing to delete for model "${id}": it is neither downloaded nor imported.`,
          { details: { id } },
        );
      }
      for (const path of onDisk) {
        await rm(path, { force: true }).catch((error: unknown) => {
          throw modelsFolderError(error, path);
        });
      }
      repo.delete(id);
      failures.delete(id);
      headers.delete(id);
      emit(id);
    },

    async verify(id) {
      if (downloads.has(id)) throw busy(id);
      const record = liveRecord(id);
      if (!record || !existsSync(record.path)) {
        throw new EngineError('NOT_FOUND', `Model "${id}" has no file to verify.`, {
          details: { id, modelId: id, fix: getFix(id) },
        });
      }
      const expected = entries.get(id)?.sha256 ?? record.sha256;
      const actual = await sha256File(record.path);
      const { size } = await stat(record.path);
      const error =
        expected === null || actual === expected
          ? null
          : `The file ${record.path} no longer matches its checksum (expected sha256 ${expected}, got ${actual}); ` +
            'it was damaged or replaced.';
      repo.upsert({
        id,
        kind: record.kind,
        path: record.path,
        status: error ? 'corrupt' : 'ready',
        sizeBytes: size,
        sha256: expected ?? actual,
        source: record.source,
        error,
      });
      emit(id);
      return statusOf(id) as ModelStatus;
    },

    resolvePath(id) {
      const status = statusOf(id);
      if (!status) {
        throw new EngineError(
          'MODEL_UNKNOWN',
          `Unknown model "${id}": it is neither in the catalog nor imported.`,
          { details: { id, modelId: id } },
        );
      }
      switch (status.status) {
        case 'ready':
          return status.path as string;
        case 'downloading': {
          const { receivedBytes, totalBytes } = status.progress as DownloadProgress;
          const percent = totalBytes ? ` (${Math.floor((receivedBytes / totalBytes) * 100)}%)` : '';
          throw notReady(
            id,
            `Model "${id}" is still downloading${percent}. Wait for it to finish.`,
          );
        }
        case 'corrupt':
          throw notReady(
            id,
            `Model "${id}" failed verification: ${status.error ?? 'unknown error'}`,
            entries.has(id) ? 'redownload-model' : 'import-model',
          );
        case 'missing':
          throw notReady(id, `Model "${id}" is not installed.`, getFix(id));
      }
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    recommend(machine, language) {
      return recommendWhisperModel(catalog.models, machine, language);
    },

    dispose() {
      disposed = true;
      const reason = new EngineError(
        'CANCELLED',
        'The download was cancelled because the engine is shutting down. The partial download is kept and resumes next time.',
      );
      for (const active of downloads.values()) active.controller.abort(reason);
      listeners.clear();
    },
  };
}

function describe(
  id: string,
  entry: CatalogEntry | undefined,
  record: ModelRecord | undefined,
  header: WhisperFileFacts | undefined,
): Pick<
  ModelStatus,
  | 'id'
  | 'kind'
  | 'name'
  | 'description'
  | 'source'
  | 'sizeBytes'
  | 'languages'
  | 'family'
  | 'license'
> {
  if (entry) {
    return {
      id,
      kind: entry.kind,
      name: entry.name,
      description: entry.description,
      source: 'catalog',
      sizeBytes: entry.sizeBytes,
      languages: entry.languages,
      family: entry.family ?? null,
      license: entry.license,
    };
  }
  const { path, kind } = record as ModelRecord;
  return {
    id,
    kind,
    name: importedName(basename(path), header),
    description: 'Imported from a local file.',
    source: 'import',
    sizeBytes: (record as ModelRecord).sizeBytes,
    languages: header ? [header.multilingual ? 'multi' : 'en'] : [],
    family: header?.family ?? null,
    license: null,
  };
}

function readyRecord(
  id: string,
  kind: ModelKind,
  path: string,
  sizeBytes: number,
  sha256: string,
  source: ModelRecord['source'],
): Omit<ModelRecord, 'updatedAt'> {
  return { id, kind, path, status: 'ready', sizeBytes, sha256, source, error: null };
}

/** `Whisper Base.EN.bin` → `whisper-base.en`. */
function idFromFileName(path: string): string {
  const stem = basename(path, extname(path))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return stem || 'imported-model';
}

async function importableSize(srcPath: string): Promise<number> {
  let info: Stats;
  try {
    info = await stat(srcPath);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EngineError(
      missing ? 'NOT_FOUND' : 'INVALID_ARGUMENT',
      missing
        ? `There is no file at ${srcPath}. Check the path and try again.`
        : `Cannot read ${srcPath}: ${(error as Error).message}.`,
      { cause: error, details: { path: srcPath } },
    );
  }
  if (!info.isFile()) {
    throw new EngineError('INVALID_ARGUMENT', `${srcPath} is not a file. Choose a model file.`, {
      details: { path: srcPath },
    });
  }
  if (info.size === 0) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `${srcPath} is empty (0 bytes), so it cannot be a model. Download the model file again.`,
      { details: { path: srcPath } },
    );
  }
  return info.size;
}

/** A failed download as its status keeps it: the engine's code, message and details. */
function failureOf(error: unknown): NonNullable<ModelStatus['lastError']> {
  if (isEngineError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details && { details: error.details }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'MODEL_DOWNLOAD_FAILED', message: `The download failed: ${message}` };
}

/** `Imported · base (English) · q5_1 · my-file.bin`; the file name alone when the header said nothing. */
function importedName(fileName: string, header: WhisperFileFacts | undefined): string {
  if (!header) return `Imported · ${fileName}`;
  const language = header.multilingual ? 'multilingual' : 'English';
  const size = header.family ? `${header.family} (${language})` : language;
  return ['Imported', size, header.quantization, fileName].filter(Boolean).join(' · ');
}

function fileSizeSync(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
