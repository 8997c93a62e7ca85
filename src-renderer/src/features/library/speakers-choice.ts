/**
 * The "Speakers" choice for the transcriptions the library starts (Transcribe, Retry, the offer
 * when opening, transcribe after import), remembered across reloads. "As in Settings" sends no
 * choice, so the engine applies `defaultSpeakers`.
 */
import { create } from 'zustand';
import { z } from 'zod';
import { toSpeakerForm, type SpeakerFormValues } from '../speakers/speaker-options';
import { writeStored } from './use-stored-state';

export const speakersChoiceKey = 'studio.library.speakers';

const storedForm = z.object({
  choice: z.enum(['default', 'off', 'auto', 'exact', 'range', 'channels']),
  count: z.string(),
  min: z.string(),
  max: z.string(),
});

/** The remembered form; "as in the Settings" when there is none or it is unreadable. */
export function parseStoredSpeakers(text: string | null): SpeakerFormValues {
  try {
    const parsed = storedForm.safeParse(JSON.parse(text ?? 'null'));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through to the default.
  }
  return toSpeakerForm(undefined);
}

function readStoredSpeakers(): SpeakerFormValues {
  try {
    return parseStoredSpeakers(window.localStorage.getItem(speakersChoiceKey));
  } catch {
    return toSpeakerForm(undefined);
  }
}

interface SpeakersChoice {
  values: SpeakerFormValues;
  set(values: SpeakerFormValues): void;
}

export const useSpeakersChoice = create<SpeakersChoice>()((set) => ({
  values: readStoredSpeakers(),
  set(values) {
    writeStored(speakersChoiceKey, JSON.stringify(values));
    set({ values });
  },
}));
