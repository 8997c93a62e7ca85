import { open, rm, type FileHandle } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { MediaProbe } from '../../contract/media';
import type { SystemInfo } from '../../contract/system';
import { EngineError, isEngineError } from '../errors';
import { checkLocalPath } from '../local-path';
import type { SettingsService } from '../settings/settings-service';
import type { MediaRecord, MediaRepo } from '../store/media-repo';
import { resolveFfmpegTools, type FfmpegTools } from './ffmpeg-tools';
import { mediaContentType } from './media-type';
import { getPeaksCached, peaksCacheFile, type Peaks } from './peaks';
import { probeMedia } from './probe';

export interface MediaService {
  /** The ffmpeg/ffprobe pair from settings → env → PATH; FFMPEG_NOT_FOUND if absent. */
  tools(): Promise<FfmpegTools>;
  toolStatus(): Promise<SystemInfo['ffmpeg']>;
  /** Probes a file against the configured limits without adding it to the library. */
  probe(path: string, options?: { signal?: AbortSignal }): Promise<MediaProbe>;
  /** Folder for files uploaded into the library (`POST /v1/media` multipart). */
  readonly uploadsDir: string;
  /** Probes and adds a file to the library. */
  add(path: string, options?: AddMediaOptions): Promise<MediaRecord>;
  /**
   * Adds a file a client named (`POST /v1/media {"path"}`): the path must be absolute by this
   * machine's rules, without `..` segments or NUL characters (INVALID_ARGUMENT otherwise, see
   * local-path.ts), checked before anything touches the file system.
   */
  addByPath(path: string, options?: AddMediaOptions): Promise<MediaRecord>;
  get(id: string): MediaRecord;
  /**
   * Opens the item's file for serving. The caller owns the handle and must close it (a read
   * stream made with `autoClose` does). MEDIA_NOT_FOUND when the file is no longer there.
   */
  openFile(id: string): Promise<OpenMediaFile>;
  /** Waveform peaks of a library item, computed once and cached. */
  peaks(id: string, options?: { signal?: AbortSignal }): Promise<Peaks>;
  /**
   * Removes the item, its transcripts (the schema cascades) and its cached files. The source
   * file goes too when it is an upload inside `uploadsDir`; a file added by path is never touched.
   */
  remove(id: string): Promise<void>;
}

export interface OpenMediaFile {
  handle: FileHandle;
  /** The size now, which may differ from the size recorded when the item was added. */
  sizeBytes: number;
  /** HTTP media type, e.g. `audio/wav` (see media-type.ts). */
  contentType: string;
  modifiedAt: Date;
}

export interface AddMediaOptions {
  signal?: AbortSignal;
  /** Name shown in the library. @default the file's name */
  name?: string;
}

export interface MediaServiceDeps {
  repo: MediaRepo;
  settings: SettingsService;
  env: NodeJS.ProcessEnv;
  peaksDir: string;
  uploadsDir: string;
  /**
   * Runs before an item is removed, e.g. to cancel its jobs and wait for them, so that no job is
   * left writing a transcript of an item that no longer exists.
   */
  beforeRemove?: (id: string) => Promise<void>;
}

/** True when `file` lies somewhere below `folder` (not the folder itself). */
function isInside(folder: string, file: string): boolean {
  const rel = relative(resolve(folder), resolve(file));
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

/**
 * Why an item's file cannot be served: MEDIA_NOT_FOUND when it is gone (or something else now
 * stands at its path, `error` undefined), MEDIA_UNREADABLE for anything else.
 */
function fileError(record: MediaRecord, error: unknown): EngineError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const details = { id: record.id, path: record.path };
  if (error === undefined || code === 'ENOENT' || code === 'ENOTDIR') {
    return new EngineError(
      'MEDIA_NOT_FOUND',
      `The file of "${record.name}" is no longer at ${record.path}. Put it back there, or remove the item and add the file again.`,
      { cause: error, details },
    );
  }
  return new EngineError(
    'MEDIA_UNREADABLE',
    `Cannot read the file of "${record.name}" at ${record.path}: ${(error as Error).message}. Check its permissions.`,
    { cause: error, details },
  );
}

export function createMediaService({
  repo,
  settings,
  env,
  peaksDir,
  uploadsDir,
  beforeRemove,
}: MediaServiceDeps): MediaService {
  const tools = () => {
    const { ffmpegPath, ffprobePath } = settings.get();
    return resolveFfmpegTools(
      { ffmpegPath: ffmpegPath ?? undefined, ffprobePath: ffprobePath ?? undefined },
      env,
    );
  };

  const get = (id: string): MediaRecord => {
    const record = repo.get(id);
    if (!record) throw new EngineError('NOT_FOUND', `Media ${id} is not in the library.`);
    return record;
  };

  const probe = async (path: string, options: { signal?: AbortSignal } = {}) =>
    probeMedia(await tools(), path, { limits: settings.get().mediaLimits, signal: options.signal });

  const add = async (path: string, options: AddMediaOptions = {}) => {
    const probed = await probe(path, { signal: options.signal });
    return repo.insert({
      path: probed.path,
      name: options.name ?? basename(probed.path),
      sizeBytes: probed.sizeBytes,
      durationSec: probed.durationSec,
      container: probed.container,
      audioCodec: probed.audio.codec,
      sampleRate: probed.audio.sampleRate,
      channels: probed.audio.channels,
      hasVideo: probed.video !== null,
    });
  };

  return {
    tools,
    async toolStatus() {
      try {
        const found = await tools();
        return {
          available: true,
          ffmpegPath: found.ffmpeg,
          ffprobePath: found.ffprobe,
          problem: null,
        };
      } catch (error) {
        if (!isEngineError(error, 'FFMPEG_NOT_FOUND')) throw error;
        return { available: false, ffmpegPath: null, ffprobePath: null, problem: error.message };
      }
    },
    probe,
    uploadsDir,
    add,
    addByPath: async (path, options) => add(checkLocalPath(path), options),
    get,
    async openFile(id) {
      const record = get(id);
      const handle = await open(record.path, 'r').catch((error: unknown) => {
        throw fileError(record, error);
      });
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw fileError(record, undefined);
        const contentType = mediaContentType(record);
        return { handle, sizeBytes: info.size, contentType, modifiedAt: info.mtime };
      } catch (error) {
        await handle.close();
        throw isEngineError(error) ? error : fileError(record, error);
      }
    },
    async peaks(id, options = {}) {
      const record = get(id);
      return getPeaksCached(await tools(), record.path, peaksDir, id, { signal: options.signal });
    },
    async remove(id) {
      get(id);
      await beforeRemove?.(id);
      // Read again: the item may have been removed while its jobs were being stopped.
      const record = get(id);
      repo.delete(id);
      await rm(peaksCacheFile(peaksDir, id), { force: true });
      if (isInside(uploadsDir, record.path)) await rm(record.path, { force: true });
    },
  };
}
