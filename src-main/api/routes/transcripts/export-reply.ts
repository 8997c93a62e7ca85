import type { FastifyReply } from 'fastify';
import type { CaptionRules, TranscriptDocument } from '../../../contract/document';
import { errorResponse } from '../../../contract/errors';
import { binaryFile } from '../../../contract/media';
import type { Engine } from '../../../engine/create-engine';
import { exportStem } from '../../../engine/exports/export-target';
import { exportDocument, exportMediaTypes, type ExportFormat } from '../../../engine/exports/index';

/** The responses of a route that answers with an exported file, for the API description. */
export const exportResponses = {
  200: {
    description: 'The exported file.',
    content: { 'application/octet-stream': { schema: binaryFile } },
  },
  400: errorResponse,
  404: errorResponse,
};

/** The file name an export of a transcript of `mediaId` gets: the media's name without extension. */
export function exportBaseName(engine: Engine, mediaId: string | null): string {
  return exportStem(mediaId ? engine.repos.media.get(mediaId)?.name : undefined);
}

/**
 * `attachment` with the file name: a plain ASCII `filename` every client reads, plus the exact
 * UTF-8 name as `filename*` (RFC 6266) when the two differ.
 */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\w.-]+/g, '_');
  if (ascii === fileName) return `attachment; filename="${ascii}"`;
  // RFC 5987 leaves ' ( ) * out of the characters allowed unencoded; encodeURIComponent keeps them.
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends `document` exported to `format` as a download named after `baseName`, re-wrapped under
 * `rules` first when given.
 */
export async function sendExport(
  reply: FastifyReply,
  options: {
    document: TranscriptDocument;
    format: ExportFormat;
    baseName: string;
    rules?: CaptionRules;
  },
): Promise<FastifyReply> {
  const { document, format, baseName, rules } = options;
  const content = await exportDocument(document, format, rules ? { rules } : {});
  return reply
    .type(exportMediaTypes[format])
    .header('content-disposition', attachmentHeader(`${baseName}.${format}`))
    .send(content);
}
