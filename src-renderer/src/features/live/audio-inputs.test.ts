import { describe, expect, it } from 'vitest';
import { inputChoices } from './audio-inputs';

describe('inputChoices', () => {
  it('puts the system default first and skips the aliases browsers add', () => {
    expect(
      inputChoices([
        { deviceId: 'default', label: 'Default - USB Mic' },
        { deviceId: 'communications', label: 'Communications - USB Mic' },
        { deviceId: 'abc', label: 'USB Mic' },
        { deviceId: 'def', label: 'Built-in' },
      ]),
    ).toEqual([
      { deviceId: '', label: 'System default' },
      { deviceId: 'abc', label: 'USB Mic' },
      { deviceId: 'def', label: 'Built-in' },
    ]);
  });

  it('numbers inputs whose names are hidden until the microphone is allowed', () => {
    expect(
      inputChoices([
        { deviceId: 'a', label: '' },
        { deviceId: 'b', label: '' },
      ]).map((c) => c.label),
    ).toEqual(['System default', 'Microphone 1', 'Microphone 2']);
  });
});
