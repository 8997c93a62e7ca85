import type { ReactNode } from 'react';
import { speakerChoiceLabels, type SpeakerChoice, type SpeakerFormValues } from './speaker-options';
import './speakers.css';

interface Props {
  /** The select's id; the number fields, hint and error derive theirs from it. */
  id: string;
  values: SpeakerFormValues;
  onChange(values: SpeakerFormValues): void;
  error?: string;
  /** Offers "as in the Settings" with this label (e.g. "As in Settings (Off)"). */
  defaultLabel?: string;
  hint?: ReactNode;
  /** @default 'Speakers' */
  label?: string;
  className?: string;
}

/** Numbers to start from when a choice that needs them is picked with the fields empty. */
const starting: Partial<Record<SpeakerChoice, Partial<SpeakerFormValues>>> = {
  exact: { count: '2' },
  range: { min: '2', max: '4' },
};

/**
 * Who speaks when, for a transcription: off, found automatically, exactly N, between min and
 * max, or one per channel. One select plus the number fields the choice needs.
 */
export function SpeakerOptionsField({
  id,
  values,
  onChange,
  error,
  defaultLabel,
  hint,
  label = 'Speakers',
  className,
}: Props) {
  const invalid = error !== undefined;
  const describedBy = [hint ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  const number = (field: 'count' | 'min' | 'max', name: string) => (
    <input
      id={`${id}-${field}`}
      className="speaker-number"
      type="text"
      inputMode="numeric"
      size={3}
      aria-label={name}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      value={values[field]}
      onChange={(event) => onChange({ ...values, [field]: event.target.value })}
    />
  );
  const choose = (choice: SpeakerChoice) => {
    const next = { ...values, choice };
    for (const [field, value] of Object.entries(starting[choice] ?? {})) {
      const key = field as 'count' | 'min' | 'max';
      if (next[key].trim() === '') next[key] = value;
    }
    onChange(next);
  };
  return (
    <div
      className={['field speaker-options', className].filter(Boolean).join(' ')}
      role="group"
      aria-labelledby={`${id}-label`}
    >
      <label id={`${id}-label`} htmlFor={id}>
        {label}
      </label>
      <span className="speaker-options-row">
        <select
          id={id}
          value={values.choice}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => choose(event.target.value as SpeakerChoice)}
        >
          {defaultLabel !== undefined && <option value="default">{defaultLabel}</option>}
          {Object.entries(speakerChoiceLabels).map(([choice, text]) => (
            <option key={choice} value={choice}>
              {text}
            </option>
          ))}
        </select>
        {values.choice === 'exact' && number('count', 'Number of speakers')}
        {values.choice === 'range' && (
          <>
            {number('min', 'Fewest speakers')}
            <span aria-hidden="true">to</span>
            {number('max', 'Most speakers')}
          </>
        )}
      </span>
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      <span id={`${id}-error`} className="field-error" role={invalid ? 'alert' : undefined}>
        {error}
      </span>
    </div>
  );
}
