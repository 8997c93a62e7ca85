import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  activeIn,
  chordOf,
  createMatcher,
  formatChord,
  normalizeKeys,
  sequenceTimeoutMs,
  useShortcuts,
  type KeyPress,
  type Shortcut,
} from './shortcuts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

const shortcut = (id: string, keys: string, scope: Shortcut['scope'] = 'global'): Shortcut => ({
  id,
  keys,
  description: id,
  scope,
  handler: vi.fn(),
});

afterEach(() => useShortcuts.setState({ shortcuts: [] }));

describe('chordOf', () => {
  it('names chords the way shortcuts are written', () => {
    expect(chordOf(press('g'))).toBe('g');
    expect(chordOf(press('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(press('Z', { ctrlKey: true, shiftKey: true }))).toBe('Mod+Shift+z');
    expect(chordOf(press('1', { metaKey: true }))).toBe('Mod+1');
    expect(chordOf(press('Enter', { shiftKey: true }))).toBe('Shift+Enter');
    expect(chordOf(press(' '))).toBe('Space');
    expect(chordOf(press('Shift', { shiftKey: true }))).toBeNull();
  });
});

describe('normalizeKeys and formatChord', () => {
  it('accepts any spelling of the modifiers', () => {
    expect(normalizeKeys('ctrl+Z')).toEqual(['Mod+z']);
    expect(normalizeKeys(' g  q ')).toEqual(['g', 'q']);
    expect(normalizeKeys('shift+mod+Z')).toEqual(['Mod+Shift+z']);
  });
  it('shows Mod as Ctrl or ⌘', () => {
    expect(formatChord('Mod+1', false)).toBe('Ctrl+1');
    expect(formatChord('Mod+1', true)).toBe('⌘1');
  });
});

describe('createMatcher', () => {
  const list = [shortcut('queue', 'g q'), shortcut('help', '?'), shortcut('undo', 'Mod+z')];

  it('completes sequences and single chords', () => {
    const matcher = createMatcher();
    expect(matcher.feed('g', list, 0)).toEqual({ shortcut: null, prefix: true });
    expect(matcher.feed('q', list, 100).shortcut?.id).toBe('queue');
    expect(matcher.feed('?', list, 200).shortcut?.id).toBe('help');
    expect(matcher.feed('Mod+z', list, 300).shortcut?.id).toBe('undo');
  });

  it('forgets a prefix after the timeout or an unrelated key', () => {
    const matcher = createMatcher();
    matcher.feed('g', list, 0);
    expect(matcher.feed('q', list, sequenceTimeoutMs + 1).shortcut).toBeNull();
    matcher.feed('g', list, 5000);
    expect(matcher.feed('x', list, 5100)).toEqual({ shortcut: null, prefix: false });
    expect(matcher.feed('q', list, 5200).shortcut).toBeNull();
  });

  it('lets a broken sequence start a new one', () => {
    const matcher = createMatcher();
    matcher.feed('g', list, 0);
    expect(matcher.feed('?', list, 50).shortcut?.id).toBe('help');
  });
});

describe('the registry', () => {
  it('replaces by id and unregisters only its own entry', () => {
    const first = shortcut('a', 'x');
    const second = shortcut('a', 'y');
    const removeFirst = useShortcuts.getState().register(first);
    const removeSecond = useShortcuts.getState().register(second);
    expect(useShortcuts.getState().shortcuts).toEqual([second]);
    removeFirst();
    expect(useShortcuts.getState().shortcuts).toEqual([second]);
    removeSecond();
    expect(useShortcuts.getState().shortcuts).toEqual([]);
  });

  it('applies global shortcuts everywhere and scoped ones in their view', () => {
    expect(activeIn(shortcut('a', 'x'), 'queue')).toBe(true);
    expect(activeIn(shortcut('b', 'x', 'editor'), 'editor')).toBe(true);
    expect(activeIn(shortcut('c', 'x', 'editor'), 'library')).toBe(false);
  });
});
