import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { modelListQuery } from '../features/models/queries';
import { settingsQuery } from '../features/settings/queries';
import { Icon } from './icons';
import { noWhisperModelHolds } from './toast-conditions';
import { useToasts } from './toasts';

/** How often a shown condition is checked again (models may arrive from another window). */
const recheckMs = 2000;

/** Dismisses the "no Whisper model" toast once a transcription would find one. */
function NoWhisperModelWatch() {
  const models = useQuery({ ...modelListQuery(), refetchInterval: recheckMs });
  const settings = useQuery({ ...settingsQuery(), refetchInterval: recheckMs });
  const holds =
    models.data && settings.data
      ? noWhisperModelHolds(models.data.models, settings.data.defaultModel)
      : true;
  useEffect(() => {
    if (!holds) useToasts.getState().dismissKey('MODEL_NOT_READY');
  }, [holds]);
  return null;
}

/**
 * The toasts, in a polite live region so screen readers announce them without moving focus.
 * The region is a strip of its own at the foot of the main column (styles.css): it takes room
 * from the view rather than lying over its buttons.
 */
export function ToastRegion() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.some((t) => t.key === 'MODEL_NOT_READY') && <NoWhisperModelWatch />}
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.kind}`}>
          <p>{toast.message}</p>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => dismiss(toast.id)}
          >
            <Icon name="close" />
          </button>
        </div>
      ))}
    </section>
  );
}
