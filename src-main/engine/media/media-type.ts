import { extname } from 'node:path';
import type { MediaRecord } from '../store/media-repo';

/** Audio types by extension; the video ones follow for items with a picture. */
const audioTypes: Record<string, string> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.m4b': 'audio/mp4',
  '.mp4': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.webm': 'audio/webm',
  '.weba': 'audio/webm',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.caf': 'audio/x-caf',
  '.wma': 'audio/x-ms-wma',
  '.amr': 'audio/amr',
  '.mka': 'audio/x-matroska',
};

const videoTypes: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.ogv': 'video/ogg',
  '.ogg': 'video/ogg',
  '.3gp': 'video/3gpp',
  '.ts': 'video/mp2t',
  '.mts': 'video/mp2t',
  '.wmv': 'video/x-ms-wmv',
  '.flv': 'video/x-flv',
};

/** ffprobe's `format_name` (a comma list, e.g. `mov,mp4,m4a,3gp,3g2,mj2`), by its first name. */
const containerTypes: Record<string, [audio: string, video: string]> = {
  wav: ['audio/wav', 'video/x-msvideo'],
  mp3: ['audio/mpeg', 'audio/mpeg'],
  flac: ['audio/flac', 'audio/flac'],
  ogg: ['audio/ogg', 'video/ogg'],
  mov: ['audio/mp4', 'video/mp4'],
  matroska: ['audio/webm', 'video/webm'],
  aac: ['audio/aac', 'audio/aac'],
  avi: ['video/x-msvideo', 'video/x-msvideo'],
};

/**
 * The HTTP media type of a library item's file, for `<audio>`/`<video>`: from the file's
 * extension, else from the container ffprobe found, else `application/octet-stream`. Items with
 * a video track get a video type where the extension is ambiguous (`.mp4`, `.webm`, `.ogg`).
 */
export function mediaContentType(item: Pick<MediaRecord, 'path' | 'container' | 'hasVideo'>) {
  const ext = extname(item.path).toLowerCase();
  const byExtension = item.hasVideo ? (videoTypes[ext] ?? audioTypes[ext]) : audioTypes[ext];
  if (byExtension) return byExtension;
  const byContainer = containerTypes[item.container.split(',')[0] ?? ''];
  if (byContainer) return byContainer[item.hasVideo ? 1 : 0];
  return videoTypes[ext] ?? 'application/octet-stream';
}
