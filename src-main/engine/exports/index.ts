/**
 * Exports a transcript document to a file format. Exporters write the captions (segments and
 * lines) exactly as the document holds them, except that no time goes past the audio's end
 * (`durationMs`, see media-end.ts); pass `rules` to wrap the document under those
 * caption rules first (see `captions/wrap.ts`), e.g. to export social captions from a document
 * wrapped for broadcast.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, lstat, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaptionRules, TranscriptDocument } from '../../contract/document';
import { wrapDocument } from '../../common/captions/wrap';
import { diskError, EngineError } from '../errors';
import { exportCsv } from './csv';
import { exportDocx, type DocxOptions } from './docx';
import { exportJson, type JsonOptions } from './json';
import { endingWithMedia } from './media-end';
import { exportSrt } from './srt';
import { exportTxt, type TxtOptions } from './txt';
import { exportVtt, type VttOptions } from './vtt';

export const exportFormats = ['srt', 'vtt', 'txt', 'json', 'csv', 'docx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The media type of each format, for HTTP responses and save dialogs. */
export const exportMediaTypes: Record<ExportFormat, string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

interface FormatOptions {
  srt: object;
  vtt: VttOptions;
  txt: TxtOptions;
  json: JsonOptions;
  csv: object;
  docx: DocxOptions;
}

export interface CommonExportOptions {
  /**
   * Caption rules to wrap the document under before exporting.
   * @default undefined: export the captions as the document has them
   */
  rules?: CaptionRules;
}

export type ExportOptions<F extends ExportFormat = ExportFormat> = FormatOptions[F] &
  CommonExportOptions;

export function isExportFormat(format: string): format is ExportFormat {
  return (exportFormats as readonly string[]).includes(format);
}

/** `format` as an ExportFormat, or INVALID_ARGUMENT naming the valid formats. */
export function checkExportFormat(format: string): ExportFormat {
  if (isExportFormat(format)) return format;
  throw new EngineError(
    'INVALID_ARGUMENT',
    `Unknown export format "${format}". Valid formats: ${exportFormats.join(', ')}.`,
    { details: { format, valid: exportFormats } },
  );
}

/**
 * `doc` in `format`: a string for the text formats, a Buffer for DOCX. Async because DOCX
 * packing is. Throws INVALID_ARGUMENT for an unknown format.
 */
export async function exportDocument<F extends ExportFormat>(
  doc: TranscriptDocument,
  format: F | (string & {}),
  options: ExportOptions<F> = {} as ExportOptions<F>,
): Promise<string | Buffer> {
  const checked = checkExportFormat(format);
  // Wrapped first: a caption's minimum duration may stretch the last cue past the audio.
  const source = endingWithMedia(options.rules ? wrapDocument(doc, options.rules) : doc);
  // The options are those of `format`; the switch narrows the format but not the generic type.
  const formatOptions = options as ExportOptions;
  switch (checked) {
    case 'srt':
      return exportSrt(source);
    case 'vtt':
      return exportVtt(source, formatOptions as VttOptions);
    case 'txt':
      return exportTxt(source, formatOptions as TxtOptions);
    case 'json':
      return exportJson(source, formatOptions as JsonOptions);
    case 'csv':
      return exportCsv(source);
    case 'docx':
      return exportDocx(source, formatOptions as DocxOptions);
  }
}

/**
 * Exports `doc` to `file` atomically: the export goes to a temporary file beside it, which is
 * then renamed over `file` (or, with `replace: false`, linked to it, which fails if a file has
 * appeared there meanwhile), so `file` is either untouched or complete. On failure the temporary
 * file is removed; a full disk (ENOSPC, EDQUOT) becomes DISK_FULL. The folder must exist, and
 * an existing target must be a regular file.
 */
export async function writeExport<F extends ExportFormat>(
  doc: TranscriptDocument,
  format: F | (string & {}),
  file: string,
  options?: ExportOptions<F>,
  { replace = true }: { replace?: boolean } = {},
): Promise<void> {
  const content = await exportDocument(doc, format, options);
  // Renaming over a device, folder or socket would replace it: only regular files are targets.
  const existing = await lstat(file).catch(() => undefined);
  if (existing && !existing.isFile()) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Cannot export to ${file}: it exists and is not a regular file. Choose a file name.`,
      { details: { path: file } },
    );
  }
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    // 'wx': never through a link or over a file someone put at the temporary name.
    await writeFile(temp, content, { flag: 'wx' });
    if (replace) await rename(temp, file);
    else await placeNew(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !replace) {
      throw new EngineError(
        'CONFLICT',
        `${file} appeared while the export was written; it was left as it is. Choose another file name.`,
        { cause: error, details: { path: file } },
      );
    }
    throw diskError(error, file) ?? error;
  }
}

/** Moves `temp` to `file` only if nothing is at `file` (a hard link cannot replace anything). */
async function placeNew(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // File systems without hard links: an exclusive copy, still never over an existing file.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    await copyFile(temp, file, constants.COPYFILE_EXCL);
  }
  await rm(temp, { force: true });
}
