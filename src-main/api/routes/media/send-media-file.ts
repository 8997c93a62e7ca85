import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../../contract/errors';
import type { OpenMediaFile } from '../../../engine/media/media-service';
import { parseRange } from './byte-range';

/**
 * Answers with an opened media file, streamed from disk (never buffered): 200 with the whole file,
 * 206 with one `Range`, 416 for a range past the end. Takes over `file.handle`: it is closed when
 * the stream ends, fails or the client goes away, or at once when no body is sent.
 */
export async function sendMediaFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: OpenMediaFile,
): Promise<FastifyReply> {
  const { handle, sizeBytes } = file;
  const range = parseRange(request.headers.range, sizeBytes);
  if (range === 'unsatisfiable') {
    await handle.close();
    return reply
      .status(416)
      .header('content-range', `bytes */${sizeBytes}`)
      .send({
        error: {
          code: 'INVALID_ARGUMENT',
          message: `The requested range "${request.headers.range}" lies outside the file, which has ${sizeBytes} bytes.`,
        },
      } satisfies ErrorResponse);
  }
  const { start, end } = range ?? { start: 0, end: sizeBytes - 1 };
  void reply
    .header('accept-ranges', 'bytes')
    .header('last-modified', file.modifiedAt.toUTCString())
    .header('content-length', String(end - start + 1))
    .type(file.contentType);
  if (range) void reply.status(206).header('content-range', `bytes ${start}-${end}/${sizeBytes}`);
  // HEAD, or an empty file: no bytes to read. An empty stream, not an empty body, because
  // Fastify's HEAD handling would replace our Content-Length with 0 for the latter.
  if (request.method === 'HEAD' || end < start) {
    await handle.close();
    return reply.send(Readable.from([]));
  }
  return reply.send(handle.createReadStream({ start, end }));
}
