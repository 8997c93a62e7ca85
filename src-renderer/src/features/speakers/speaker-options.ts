/**
 * The "Speakers" choice of a transcription as a form holds it (a choice plus number fields as
 * text) and the contract's `speakerDetection` it stands for.
 */
import { speakerDetection, type SpeakerDetection } from '../../../../src-main/contract/speakers';

/** `default` leaves the choice to the Settings (the job is sent without `speakers`). */
export type SpeakerChoice = 'default' | 'off' | 'auto' | 'exact' | 'range' | 'channels';

export interface SpeakerFormValues {
  choice: SpeakerChoice;
  count: string;
  min: string;
  max: string;
}

export const speakerChoiceLabels: Record<Exclude<SpeakerChoice, 'default'>, string> = {
  off: 'Off',
  auto: 'Find automatically',
  exact: 'Exactly N speakers',
  range: 'Between min and max',
  channels: 'One speaker per channel',
};

/** The most speakers the engine looks for (the contract's bound). */
export const MAX_SPEAKERS = 32;

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

/** The form for a detection; `undefined` is "as in the Settings". */
export function toSpeakerForm(detection: SpeakerDetection | undefined): SpeakerFormValues {
  if (!detection) return { choice: 'default', count: '', min: '', max: '' };
  const choice: SpeakerChoice =
    detection.mode !== 'auto'
      ? detection.mode
      : detection.count !== undefined
        ? 'exact'
        : detection.min !== undefined || detection.max !== undefined
          ? 'range'
          : 'auto';
  return {
    choice,
    count: text(detection.count),
    min: text(detection.min),
    max: text(detection.max),
  };
}

const range = `a whole number from 1 to ${MAX_SPEAKERS}`;

/** A count from a field: a number, `undefined` when empty, or NaN when not a whole number in range. */
function parseCount(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return /^\d+$/.test(trimmed) && n >= 1 && n <= MAX_SPEAKERS ? n : Number.NaN;
}

export type SpeakerFormResult =
  { ok: true; value: SpeakerDetection | undefined } | { ok: false; error: string };

/** The detection the form stands for (`undefined` for "as in the Settings"), or what is wrong. */
export function fromSpeakerForm(values: SpeakerFormValues): SpeakerFormResult {
  switch (values.choice) {
    case 'default':
      return { ok: true, value: undefined };
    case 'off':
    case 'auto':
    case 'channels':
      return { ok: true, value: { mode: values.choice } };
    case 'exact': {
      const count = parseCount(values.count);
      if (count === undefined || Number.isNaN(count)) {
        return { ok: false, error: `Enter the number of speakers: ${range}.` };
      }
      return checked({ mode: 'auto', count });
    }
    case 'range': {
      const min = parseCount(values.min);
      const max = parseCount(values.max);
      if (Number.isNaN(min) || Number.isNaN(max)) {
        return { ok: false, error: `Enter the fewest and most speakers as ${range} each.` };
      }
      if (min === undefined && max === undefined) {
        return { ok: false, error: 'Enter the fewest or the most speakers (or both).' };
      }
      if (min !== undefined && max !== undefined && min > max) {
        return { ok: false, error: 'The fewest speakers cannot be more than the most.' };
      }
      return checked({
        mode: 'auto',
        ...(min === undefined ? {} : { min }),
        ...(max === undefined ? {} : { max }),
      });
    }
  }
}

/** The contract has the last word (it also checks what the form does not). */
function checked(candidate: SpeakerDetection): SpeakerFormResult {
  const parsed = speakerDetection.safeParse(candidate);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: parsed.error.issues[0]?.message ?? 'This speaker choice is not valid.' };
}

/** A detection in words, e.g. "Exactly 2 speakers" or "Between 2 and 4 speakers". */
export function describeSpeakers(detection: SpeakerDetection): string {
  const { mode, count, min, max } = detection;
  if (mode === 'off') return 'Off';
  if (mode === 'channels') return 'One speaker per channel';
  if (count !== undefined) return `Exactly ${count} speaker${count === 1 ? '' : 's'}`;
  if (min !== undefined && max !== undefined) return `Between ${min} and ${max} speakers`;
  if (min !== undefined) return `At least ${min} speaker${min === 1 ? '' : 's'}`;
  if (max !== undefined) return `At most ${max} speaker${max === 1 ? '' : 's'}`;
  return 'Find automatically';
}
