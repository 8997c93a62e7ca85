import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../../src-main/contract/live';
import {
  applyCaptionEvent,
  committedTail,
  emptyCaptions,
  maxParagraphChars,
  maxParagraphs,
  type Captions,
} from './captions';

const final = (text: string, startMs: number, endMs: number): LiveEvent => ({
  type: 'final',
  text,
  startMs,
  endMs,
  words: [],
});
const partial = (text: string): LiveEvent => ({ type: 'partial', text, startMs: 0, endMs: 0 });
const apply = (events: LiveEvent[], from: Captions = emptyCaptions) =>
  events.reduce(applyCaptionEvent, from);

describe('applyCaptionEvent', () => {
  it('appends finals to the committed text and lets each partial replace the last', () => {
    const captions = apply([
      partial('and so my'),
      final('And so,', 0, 800),
      partial('my fellow'),
      final('my fellow Americans', 900, 2000),
      partial('ask not'),
    ]);
    expect(captions.paragraphs).toEqual(['And so, my fellow Americans']);
    expect(captions.partial).toBe('ask not');
  });

  it('clears the tentative text on an empty partial, and a final leaves it to the next partial', () => {
    const withPartial = apply([partial('ask not'), final('ask', 0, 300)]);
    expect(withPartial.partial).toBe('ask not');
    expect(apply([partial('')], withPartial).partial).toBe('');
  });

  it('starts a new paragraph after a pause', () => {
    const captions = apply([final('First.', 0, 1000), final('Second.', 3500, 4000)]);
    expect(captions.paragraphs).toEqual(['First.', 'Second.']);
    expect(captions.lastEndMs).toBe(4000);
  });

  it('keeps a long session light: paragraphs are capped in length and number', () => {
    let talk = emptyCaptions;
    // An hour of talk without a pause, one final a second.
    for (let i = 0; i < 3600; i++) {
      talk = applyCaptionEvent(talk, final(`word${i} and more`, i * 1000, i * 1000 + 900));
    }
    expect(talk.paragraphs.length).toBeGreaterThan(40);
    for (const paragraph of talk.paragraphs) {
      expect(paragraph.length).toBeLessThan(maxParagraphChars + 40);
    }
    expect(talk.paragraphs.at(-1)).toMatch(/word3599 and more$/);
    // Many short utterances after pauses: only the newest paragraphs stay.
    let chat = emptyCaptions;
    for (let i = 0; i < maxParagraphs + 50; i++) {
      chat = applyCaptionEvent(chat, final(`line${i}`, i * 5000, i * 5000 + 500));
    }
    expect(chat.paragraphs).toHaveLength(maxParagraphs);
    expect(chat.paragraphs[0]).toBe('line50');
  });

  it('ignores empty finals and events that are not captions', () => {
    const before = apply([final('Hello', 0, 500)]);
    expect(apply([final('  ', 600, 700), { type: 'lag', behindMs: 4000 }], before)).toBe(before);
  });
});

describe('committedTail', () => {
  const captions = apply([final('one two three', 0, 1000), final('four five', 5000, 6000)]);

  it('joins the paragraphs when they fit', () => {
    expect(committedTail(captions, 100)).toBe('one two three four five');
  });

  it('keeps only the end, starting at a whole word', () => {
    expect(committedTail(captions, 12)).toBe('four five');
    expect(committedTail(captions, 15)).toBe('three four five');
  });

  it('is empty before anything is committed', () => {
    expect(committedTail(emptyCaptions, 50)).toBe('');
  });
});
