// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { readStored, useStoredState } from './use-stored-state';

afterEach(() => window.localStorage.clear());

describe('readStored', () => {
  it('returns the stored value only when it is allowed', () => {
    expect(readStored('k', ['a', 'b'], 'a')).toBe('a');
    window.localStorage.setItem('k', 'b');
    expect(readStored('k', ['a', 'b'], 'a')).toBe('b');
    window.localStorage.setItem('k', 'zzz');
    expect(readStored('k', ['a', 'b'], 'a')).toBe('a');
  });
});

describe('useStoredState', () => {
  it('remembers a choice across mounts', () => {
    const first = renderHook(() => useStoredState('view', ['list', 'grid'] as const, 'list'));
    expect(first.result.current[0]).toBe('list');
    act(() => first.result.current[1]('grid'));
    expect(first.result.current[0]).toBe('grid');
    first.unmount();
    const second = renderHook(() => useStoredState('view', ['list', 'grid'] as const, 'list'));
    expect(second.result.current[0]).toBe('grid');
  });
});
