import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../../contract/errors';
import { idParams } from '../../../contract/media';
import {
  confirmVoiceBody,
  createVoiceBody,
  transcriptSpeakers,
  voiceList,
  voiceView,
} from '../../../contract/speakers';
import type { VoiceRecord } from '../../../engine/store/voices-repo';
import { voiceMatchers } from '../../../engine/speakers/voice-library';

const speakerParams = z.object({ id: z.string().min(1), speakerId: z.string().min(1) });
/** The print stays inside the engine: it is the voice itself, in numbers. */
const asView = ({ print: _print, ...voice }: VoiceRecord) => voice;

/** A transcript's speakers, and the voice library that names them across files. */
export const speakerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { engine } = app;

  app.get(
    '/transcripts/:id/speakers',
    {
      schema: {
        summary:
          "A transcript's speakers: talk time, words, a voice sample, known-voice suggestions",
        params: idParams,
        response: { 200: transcriptSpeakers, 404: errorResponse },
      },
    },
    (request) => engine.voices.speakers(request.params.id),
  );

  app.post(
    '/transcripts/:id/speakers/:speakerId/confirm',
    {
      schema: {
        summary: 'Confirm that a speaker is a known voice (the speaker takes its name)',
        params: speakerParams,
        body: confirmVoiceBody,
        response: { 200: transcriptSpeakers, 400: errorResponse, 404: errorResponse },
      },
    },
    (request) => {
      const { id, speakerId } = request.params;
      engine.voices.confirm(id, speakerId, request.body.voiceId);
      return engine.voices.speakers(id);
    },
  );

  app.get(
    '/voices',
    {
      schema: {
        summary: 'The voice library: voices remembered by name',
        response: { 200: voiceList },
      },
    },
    () => ({
      voices: engine.voices.list().map(asView),
      matchThresholds: Object.fromEntries(
        Object.entries(voiceMatchers).map(([diarizer, { threshold }]) => [diarizer, threshold]),
      ),
    }),
  );

  app.post(
    '/voices',
    {
      schema: {
        summary: "Remember a transcript speaker's voice under a name (the speaker is renamed)",
        description:
          'Later transcripts whose speakers sound alike get this name as a suggestion to confirm.',
        body: createVoiceBody,
        response: { 201: voiceView, 400: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const { transcriptId, speakerId, name } = request.body;
      return reply.status(201).send(asView(engine.voices.remember(transcriptId, speakerId, name)));
    },
  );

  app.delete(
    '/voices/:id',
    {
      schema: {
        summary: 'Forget a voice: its voice print is deleted (names already given stay)',
        params: idParams,
        response: { 204: z.null(), 404: errorResponse },
      },
    },
    async (request, reply) => {
      engine.voices.forget(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
