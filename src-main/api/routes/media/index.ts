import { rm } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import {
  addMediaBody,
  addMediaRequest,
  binaryFile as binaryBody,
  idParams,
  mediaItem,
  mediaList,
  mediaListQuery,
  mediaPeaks,
  mediaStreamUrl,
  type AddMediaBody,
} from '../../../contract/media';
import { EngineError } from '../../../engine/errors';
import type { UrlSigner } from '../../signed-urls';
import { receiveUpload, uploadRouteValidator, withClientName } from '../../uploads';
import { sendMediaFile } from './send-media-file';

/** Where the upload limit lives, for the 413 message. */
export const raiseUploadLimitHint =
  'raise the limit with PATCH /v1/settings {"mediaLimits": {"maxBytes": <bytes>}} (or in Settings)';

/** How OpenAPI describes the body of a media file response. */
const mediaFileContent = {
  'audio/*': { schema: binaryBody },
  'video/*': { schema: binaryBody },
};

export const mediaRoutes: FastifyPluginAsyncZod<{ signedUrls: UrlSigner }> = async (
  app,
  { signedUrls },
) => {
  const { engine } = app;
  const mustGet = (id: string) => {
    const item = engine.repos.media.getSummary(id);
    if (!item) throw new EngineError('NOT_FOUND', `Media ${id} is not in the library.`);
    return item;
  };

  // The path is checked by this machine's rules, then probed: a missing, empty, unreadable or
  // silent file is refused before it is added.
  const addPath = (path: string) =>
    engine.tasks.run('adding media', (signal) => engine.media.addByPath(path, { signal }));

  /** Streams the upload into the library's uploads folder; anything refused is deleted again. */
  const addUpload = async (request: FastifyRequest) => {
    const upload = await receiveUpload(request, {
      dir: engine.media.uploadsDir,
      maxBytes: engine.settings.get().mediaLimits.maxBytes,
      raiseLimitHint: raiseUploadLimitHint,
    });
    try {
      return await engine.tasks.run('adding an upload', (signal) =>
        engine.media.add(upload.path, { signal, name: upload.filename }),
      );
    } catch (error) {
      await rm(upload.path, { force: true });
      throw withClientName(error, upload);
    }
  };

  app.post(
    '/media',
    {
      config: { scope: 'transcribe' },
      validatorCompiler: uploadRouteValidator(addMediaBody),
      schema: {
        summary: 'Add media: upload a file, or name one on this machine',
        description:
          'Either `multipart/form-data` with one part `file` (streamed to the uploads folder of the ' +
          'data folder, limited by the `mediaLimits.maxBytes` setting; deleted with the item), or ' +
          'JSON `{ "path": "/absolute/path" }` for a file already on the machine running the engine ' +
          '(never moved or deleted). Either way the file is probed first: it must be readable media ' +
          'with an audio track.',
        consumes: ['application/json', 'multipart/form-data'],
        body: addMediaRequest,
        response: {
          201: mediaItem,
          400: errorResponse,
          404: errorResponse,
          413: errorResponse,
          422: errorResponse,
        },
      },
    },
    async (request, reply) => {
      let item;
      if (request.isMultipart()) {
        item = await addUpload(request);
      } else {
        // uploadRouteValidator checked a present body against addMediaBody; null means none.
        const body = request.body as AddMediaBody | null;
        if (!body) {
          throw new EngineError(
            'INVALID_ARGUMENT',
            'Send JSON {"path": "/absolute/path"} or a multipart/form-data upload with a "file" part.',
          );
        }
        item = await addPath(body.path);
      }
      return reply.status(201).send({ ...item, transcript: null, job: null });
    },
  );

  app.get(
    '/media',
    {
      schema: {
        summary: 'List the library, filtered and sorted, with each item’s transcript and job',
        description:
          'Each item carries its newest transcript in brief (`transcript`) and its newest queued or ' +
          'running job (`job`); `total` counts the matching items over all pages.',
        querystring: mediaListQuery,
        response: { 200: mediaList, 400: errorResponse },
      },
    },
    (request) => {
      const { items, total } = engine.repos.media.listSummaries(request.query);
      return { media: items, total };
    },
  );

  app.get(
    '/media/:id',
    {
      schema: {
        summary: 'Get one media item with its newest transcript and job',
        params: idParams,
        response: { 200: mediaItem, 404: errorResponse },
      },
    },
    (request) => mustGet(request.params.id),
  );

  app.get(
    '/media/:id/file',
    {
      config: { signedUrl: true },
      schema: {
        summary: 'Stream the media file (HTTP Range supported)',
        description:
          'The file itself with its media type, for `<audio>`/`<video>` and wavesurfer.js. ' +
          'A `Range: bytes=…` request gets 206 with that part. Authenticates with a bearer token ' +
          'or with the signed query from `POST /v1/media/:id/stream-url`.',
        params: idParams,
        querystring: z.object({
          exp: z.string().optional(),
          tid: z.string().optional(),
          sig: z.string().optional(),
        }),
        response: {
          200: { description: 'The whole file.', content: mediaFileContent },
          206: {
            description: 'The requested range (see Content-Range).',
            content: mediaFileContent,
          },
          401: errorResponse,
          404: errorResponse,
          416: errorResponse,
        },
      },
    },
    async (request, reply) =>
      sendMediaFile(request, reply, await engine.media.openFile(request.params.id)),
  );

  app.post(
    '/media/:id/stream-url',
    {
      // Reading the file needs no more than read.
      config: { scope: 'read' },
      schema: {
        summary: 'Get a signed URL that streams the media file without a token (6 hours)',
        description:
          'Media elements cannot send an Authorization header; this URL carries its own signature ' +
          'instead. It works only for this item’s file, until `expiresAt`, not after the ' +
          'engine restarts and not after the token that asked for it is revoked.',
        params: idParams,
        response: { 201: mediaStreamUrl, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const { id } = engine.media.get(request.params.id);
      // Bound to the asking token: the URL stops working when that token is revoked.
      const path = `/v1/media/${encodeURIComponent(id)}/file`;
      return reply.status(201).send(signedUrls.sign(path, request.auth!.id));
    },
  );

  app.get(
    '/media/:id/peaks',
    {
      schema: {
        summary: 'Get the waveform peaks (computed once, then cached)',
        description:
          'For wavesurfer.js: `WaveSurfer.create({ peaks: [peaks], duration: durationSec })`. ' +
          'The first request for an item decodes its audio; later ones read the cache.',
        params: idParams,
        response: { 200: mediaPeaks, 404: errorResponse, 422: errorResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const peaks = await engine.tasks.run('computing waveform peaks', (signal) =>
        engine.media.peaks(id, { signal }),
      );
      return {
        durationSec: peaks.durationSec,
        peaksPerSecond: peaks.sampleRate / peaks.samplesPerPeak,
        // Four decimals are finer than any waveform is drawn, and keep the JSON small.
        peaks: Array.from(peaks.peaks, (value) => Math.round(value * 1e4) / 1e4),
      };
    },
  );

  app.delete(
    '/media/:id',
    {
      schema: {
        summary: 'Remove a media item with its transcripts and cached files',
        description:
          'An uploaded file is deleted with its item; a file added by path stays where it is.',
        params: idParams,
        response: { 204: z.null(), 404: errorResponse },
      },
    },
    async (request, reply) => {
      await engine.media.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
