import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { noWhisperModelHolds } from './toast-conditions';
import { toastError, useToasts } from './toasts';

const messages = () => useToasts.getState().toasts.map((t) => [t.kind, t.message, t.key]);

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useToasts.setState({ toasts: [] });
  });
  afterEach(() => vi.useRealTimers());

  it('closes success and info by themselves and keeps an error until it is dismissed', () => {
    const { show } = useToasts.getState();
    show('success', 'Saved.');
    show('info', 'Queued.');
    show('error', 'Broken.');
    vi.advanceTimersByTime(60_000);
    expect(messages()).toEqual([['error', 'Broken.', undefined]]);
    useToasts.getState().dismiss(useToasts.getState().toasts[0]!.id);
    expect(messages()).toEqual([]);
  });

  it('shows an error about a condition once, and drops it when the condition is cleared', () => {
    const noModel = new ApiError(409, 'MODEL_NOT_READY', 'No Whisper model is installed.');
    toastError(noModel);
    toastError(noModel);
    toastError(new Error('Something else.'));
    expect(messages()).toEqual([
      ['error', 'No Whisper model is installed.', 'MODEL_NOT_READY'],
      ['error', 'Something else.', undefined],
    ]);
    useToasts.getState().dismissKey('MODEL_NOT_READY');
    expect(messages()).toEqual([['error', 'Something else.', undefined]]);
  });
});

describe('the "no Whisper model" condition', () => {
  const model = (id: string, status: 'ready' | 'missing', kind = 'whisper') => ({
    id,
    kind,
    status,
  });
  it('holds until a Whisper model (the default one, when set) is ready', () => {
    expect(noWhisperModelHolds([model('base', 'missing')], null)).toBe(true);
    expect(noWhisperModelHolds([model('vad', 'ready', 'vad')], null)).toBe(true);
    expect(noWhisperModelHolds([model('base', 'ready')], null)).toBe(false);
    expect(noWhisperModelHolds([model('base', 'ready'), model('x', 'missing')], 'x')).toBe(true);
    expect(noWhisperModelHolds([model('x', 'ready')], 'x')).toBe(false);
  });
});
