/**
 * Remembering a speaker's voice and confirming a suggested one: the engine renames the speaker
 * in the saved document, and the open editor takes that change in without a conflict.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { queryKeys } from '../../api/query-keys';
import { confirmVoice, rememberVoice } from '../speakers/queries';
import { renameSpeaker } from './doc-ops';
import { useEditor } from './editor-context';
import { fetchTranscript } from './queries';

/** The server's rename, repeated on a document edited meanwhile (unless the speaker went). */
const renameIfThere = (speakerId: string, name: string) => (doc: TranscriptDocument) =>
  doc.speakers.some((s) => s.id === speakerId) ? renameSpeaker(doc, speakerId, name) : doc;

export function useVoiceActions() {
  const { transcriptId, autosaver } = useEditor();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const run = async (
      label: string,
      speakerId: string,
      name: string,
      call: () => Promise<unknown>,
    ) => {
      try {
        await autosaver.serverChange(
          label,
          async () => {
            await call();
            return fetchTranscript(transcriptId);
          },
          renameIfThere(speakerId, name.trim()),
        );
      } finally {
        for (const queryKey of [queryKeys.transcripts.speakers(transcriptId), queryKeys.voices]) {
          void queryClient.invalidateQueries({ queryKey });
        }
      }
    };
    return {
      /** Keeps the speaker's voice print as `name` (and names the speaker so). */
      remember: (speakerId: string, name: string) =>
        run('Remember voice', speakerId, name, () => rememberVoice(transcriptId, speakerId, name)),
      /** Accepts the suggestion that the speaker is the voice `voiceId`, called `name`. */
      confirm: (speakerId: string, voiceId: string, name: string) =>
        run('Confirm voice', speakerId, name, () => confirmVoice(transcriptId, speakerId, voiceId)),
    };
  }, [transcriptId, autosaver, queryClient]);
}
