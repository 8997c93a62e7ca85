/** Speakers as the engine sees them: a transcript's speaker rows and the voice library. */
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { transcriptSpeakers, voiceList, voiceView } from '../../../../src-main/contract/speakers';
import { request } from '../../api/client';
import { queryKeys } from '../../api/query-keys';

const enc = encodeURIComponent;

/** Talk time, sample, target words, voice link and suggestion per speaker, as last saved. */
export const transcriptSpeakersQuery = (transcriptId: string) =>
  queryOptions({
    queryKey: queryKeys.transcripts.speakers(transcriptId),
    queryFn: ({ signal }) =>
      request(transcriptSpeakers, `/v1/transcripts/${enc(transcriptId)}/speakers`, { signal }),
  });

export const voicesQuery = () =>
  queryOptions({
    queryKey: queryKeys.voices,
    queryFn: ({ signal }) => request(voiceList, '/v1/voices', { signal }),
  });

/** Keeps a transcript speaker's voice print under `name` (the engine also renames the speaker). */
export const rememberVoice = (transcriptId: string, speakerId: string, name: string) =>
  request(voiceView, '/v1/voices', {
    method: 'POST',
    body: JSON.stringify({ transcriptId, speakerId, name }),
  });

/** Accepts a suggestion: the speaker takes the voice's name. */
export const confirmVoice = (transcriptId: string, speakerId: string, voiceId: string) =>
  request(
    transcriptSpeakers,
    `/v1/transcripts/${enc(transcriptId)}/speakers/${enc(speakerId)}/confirm`,
    { method: 'POST', body: JSON.stringify({ voiceId }) },
  );

/** Deletes a voice print; the names it gave stay. */
export const forgetVoice = (voiceId: string) =>
  request(z.unknown(), `/v1/voices/${enc(voiceId)}`, { method: 'DELETE' });
