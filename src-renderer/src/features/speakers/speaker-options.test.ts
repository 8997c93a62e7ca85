import { describe, expect, it } from 'vitest';
import {
  describeSpeakers,
  fromSpeakerForm,
  toSpeakerForm,
  type SpeakerFormValues,
} from './speaker-options';

const form = (patch: Partial<SpeakerFormValues>): SpeakerFormValues => ({
  choice: 'off',
  count: '',
  min: '',
  max: '',
  ...patch,
});

describe('speaker options form', () => {
  it('maps each detection to its choice and back', () => {
    const cases = [
      { mode: 'off' as const },
      { mode: 'auto' as const },
      { mode: 'auto' as const, count: 2 },
      { mode: 'auto' as const, min: 2, max: 4 },
      { mode: 'auto' as const, max: 3 },
      { mode: 'channels' as const },
    ];
    expect(cases.map((d) => toSpeakerForm(d).choice)).toEqual([
      'off',
      'auto',
      'exact',
      'range',
      'range',
      'channels',
    ]);
    for (const detection of cases) {
      expect(fromSpeakerForm(toSpeakerForm(detection))).toEqual({ ok: true, value: detection });
    }
  });

  it('leaves "as in the Settings" out of the job', () => {
    expect(toSpeakerForm(undefined).choice).toBe('default');
    expect(fromSpeakerForm(form({ choice: 'default', count: '3' }))).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('sends only the numbers the choice uses', () => {
    expect(fromSpeakerForm(form({ choice: 'exact', count: ' 3 ', min: '1', max: '9' }))).toEqual({
      ok: true,
      value: { mode: 'auto', count: 3 },
    });
    expect(fromSpeakerForm(form({ choice: 'auto', count: '3' }))).toEqual({
      ok: true,
      value: { mode: 'auto' },
    });
    expect(fromSpeakerForm(form({ choice: 'range', count: '3', min: '2' }))).toEqual({
      ok: true,
      value: { mode: 'auto', min: 2 },
    });
  });

  it('says what is wrong with the numbers', () => {
    const error = (values: SpeakerFormValues) => {
      const result = fromSpeakerForm(values);
      return result.ok ? null : result.error;
    };
    expect(error(form({ choice: 'exact' }))).toMatch(/number of speakers/);
    expect(error(form({ choice: 'exact', count: '2.5' }))).toMatch(/1 to 32/);
    expect(error(form({ choice: 'exact', count: '0' }))).toMatch(/1 to 32/);
    expect(error(form({ choice: 'exact', count: '33' }))).toMatch(/1 to 32/);
    expect(error(form({ choice: 'range' }))).toMatch(/fewest or the most/);
    expect(error(form({ choice: 'range', min: 'two' }))).toMatch(/1 to 32/);
    expect(error(form({ choice: 'range', min: '5', max: '3' }))).toMatch(/cannot be more/);
    expect(error(form({ choice: 'range', min: '3', max: '3' }))).toBeNull();
  });

  it('describes a detection in words', () => {
    expect(describeSpeakers({ mode: 'off' })).toBe('Off');
    expect(describeSpeakers({ mode: 'auto' })).toBe('Find automatically');
    expect(describeSpeakers({ mode: 'auto', count: 1 })).toBe('Exactly 1 speaker');
    expect(describeSpeakers({ mode: 'auto', min: 2, max: 4 })).toBe('Between 2 and 4 speakers');
    expect(describeSpeakers({ mode: 'auto', min: 2 })).toBe('At least 2 speakers');
    expect(describeSpeakers({ mode: 'auto', max: 3 })).toBe('At most 3 speakers');
    expect(describeSpeakers({ mode: 'channels' })).toBe('One speaker per channel');
  });
});
