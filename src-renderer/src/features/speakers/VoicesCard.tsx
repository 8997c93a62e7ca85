import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { VoiceView } from '../../../../src-main/contract/speakers';
import { queryKeys } from '../../api/query-keys';
import { ConfirmDialog } from '../../app/Dialog';
import { toastError, useToasts } from '../../app/toasts';
import { forgetVoice, voicesQuery } from './queries';
import './speakers.css';

const date = (iso: string) => new Date(iso).toLocaleDateString();

/** The voice library: the voices the studio recognises in new transcripts; forget one. */
export function VoicesCard() {
  const queryClient = useQueryClient();
  const voices = useQuery(voicesQuery());
  const [forgetting, setForgetting] = useState<VoiceView | null>(null);
  const forget = useMutation({
    mutationFn: (voice: VoiceView) => forgetVoice(voice.id),
    onError: toastError,
    onSuccess: (_, voice) => {
      useToasts.getState().show('success', `Forgot the voice of ${voice.name}.`);
      setForgetting(null);
    },
    onSettled: () =>
      Promise.all(
        [queryKeys.voices, queryKeys.transcripts.allSpeakers].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });

  return (
    <section className="card" aria-labelledby="voices-title">
      <h3 id="voices-title">Voices</h3>
      <p className="muted">
        Voices you chose to remember in the editor. When one of them speaks in a new transcript, the
        editor suggests its name. Voice prints stay in the studio’s data folder.
      </p>
      {voices.isPending && <p className="muted">Loading…</p>}
      {voices.isError && (
        <p role="alert" className="alert">
          {voices.error.message}
        </p>
      )}
      {voices.data &&
        (voices.data.voices.length === 0 ? (
          <p className="muted">
            No voices yet. In the editor’s Speakers panel, choose Remember voice… on a speaker.
          </p>
        ) : (
          <table className="table voice-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Transcripts</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {voices.data.voices.map((voice) => (
                <tr key={voice.id} data-voice-id={voice.id}>
                  <td>{voice.name}</td>
                  <td className="num">{voice.transcripts}</td>
                  <td className="num">{date(voice.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="small"
                      aria-label={`Forget ${voice.name}`}
                      onClick={() => setForgetting(voice)}
                    >
                      Forget
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {forgetting && (
        <ConfirmDialog
          title={`Forget the voice of ${forgetting.name}?`}
          confirmLabel="Forget voice"
          danger
          busy={forget.isPending}
          onConfirm={() => forget.mutate(forgetting)}
          onCancel={() => setForgetting(null)}
        >
          <p>
            Its voice print is deleted, so new transcripts no longer suggest “{forgetting.name}”.
            Speakers already named {forgetting.name} keep that name. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
