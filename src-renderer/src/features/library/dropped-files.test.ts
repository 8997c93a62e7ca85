import { describe, expect, it } from 'vitest';
import { isMediaFileName } from './dropped-files';

describe('isMediaFileName', () => {
  it.each([
    ['interview.wav', true],
    ['Talk.MP4', true],
    ['a.b.flac', true],
    ['clip.webm', true],
    ['notes.txt', false],
    ['.wav', false],
    ['README', false],
    ['cover.jpg', false],
  ])('%s → %s', (name, media) => expect(isMediaFileName(name)).toBe(media));
});
