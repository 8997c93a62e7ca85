import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { settingsQuery } from '../settings/queries';
import { describeSpeakers, fromSpeakerForm } from '../speakers/speaker-options';
import { SpeakerOptionsField } from '../speakers/SpeakerOptionsField';
import { useSpeakersChoice } from './speakers-choice';

/** The library's remembered speakers choice, with "As in Settings (…)" first. */
export function SpeakersChoiceField({
  id,
  inline = false,
  hint,
}: {
  id: string;
  /** Label beside the select rather than above it (the library header). */
  inline?: boolean;
  hint?: ReactNode;
}) {
  const values = useSpeakersChoice((s) => s.values);
  const set = useSpeakersChoice((s) => s.set);
  const settings = useQuery(settingsQuery());
  const result = fromSpeakerForm(values);
  const fromSettings = settings.data
    ? ` (${describeSpeakers(settings.data.defaultSpeakers).toLowerCase()})`
    : '';
  return (
    <SpeakerOptionsField
      id={id}
      className={inline ? 'speaker-options-inline' : undefined}
      values={values}
      onChange={set}
      error={result.ok ? undefined : result.error}
      defaultLabel={`As in Settings${fromSettings}`}
      hint={hint}
    />
  );
}
