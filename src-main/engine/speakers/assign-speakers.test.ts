import { describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { documentWords } from '../../common/captions/wrap';
import { buildDocument } from '../documents/build-document';
import { validateDocument } from '../documents/validate';
import { options, result, seg, tok } from '../documents/__fixtures__/whisper-result';
import { assignSpeakers } from './assign-speakers';

/** One whisper segment, "one two three four five six", a word every 500 ms from 0. */
function sample(): TranscriptDocument {
  const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
  return buildDocument(
    result([
      seg(
        0,
        3000,
        texts.map((text, i) => tok(` ${text}`, i * 500, i * 500 + 400)),
      ),
    ]),
    { ...options, durationMs: 3000 },
  );
}

const speakersOf = (doc: TranscriptDocument) =>
  documentWords(doc.segments).map((word) => word.speaker);

describe('assignSpeakers', () => {
  it('gives each word the speaker covering most of it and splits segments at speaker changes', () => {
    const { doc, speakerIds } = assignSpeakers(sample(), [
      { start: 0, end: 1.15, speaker: 'B' }, // one, two; three (1000–1400) only 150 ms
      { start: 1.15, end: 3, speaker: 'A' },
    ]);
    expect(() => validateDocument(doc)).not.toThrow();
    // Numbered by first appearance, whatever the diarizer called them.
    expect(speakerIds).toEqual(
      new Map([
        ['B', 'spk1'],
        ['A', 'spk2'],
      ]),
    );
    expect(doc.speakers).toEqual([
      { id: 'spk1', name: 'Speaker 1' },
      { id: 'spk2', name: 'Speaker 2' },
    ]);
    expect(speakersOf(doc)).toEqual(['spk1', 'spk1', 'spk2', 'spk2', 'spk2', 'spk2']);
    expect(doc.segments.map((s) => s.speaker)).toEqual(['spk1', 'spk2']);
    expect(
      doc.segments.map((s) =>
        documentWords([s])
          .map((w) => w.text)
          .join(' '),
      ),
    ).toEqual(['one two', 'three four five six']);
  });

  it('fills a word in a gap from the nearest turn within reach, and leaves far ones unknown', () => {
    const { doc } = assignSpeakers(
      sample(),
      [
        { start: 0, end: 0.9, speaker: 'A' }, // one, two
        // three (1000–1400) is 100 ms from A's end and 1100 ms from B's start
        { start: 2.5, end: 3, speaker: 'B' }, // six
      ],
      { nearestWithinMs: 700 },
    );
    // four (1500–1900) is 600 ms from both: the earlier turn wins a tie; five is 100 ms from B.
    expect(speakersOf(doc)).toEqual(['spk1', 'spk1', 'spk1', 'spk1', 'spk2', 'spk2']);
    const far = assignSpeakers(sample(), [{ start: 0, end: 0.4, speaker: 'A' }], {
      nearestWithinMs: 200,
    }).doc;
    // two (500–900) is 100 ms from the turn; three (1000–1400) is 600 ms away.
    expect(speakersOf(far)).toEqual(['spk1', 'spk1', null, null, null, null]);
  });

  it('flags words spoken over by a second speaker', () => {
    const { doc } = assignSpeakers(sample(), [
      { start: 0, end: 3, speaker: 'A' },
      { start: 1.4, end: 2, speaker: 'B' }, // covers all of four (1500–1900)
      { start: 2.6, end: 2.7, speaker: 'B' }, // a quarter of six: not enough
    ]);
    const words = documentWords(doc.segments);
    expect(words.filter((w) => w.flags.includes('overlap')).map((w) => w.text)).toEqual(['four']);
    // A tie in coverage (four is wholly covered by both) goes to the speaker listed first.
    expect(words.every((w) => w.speaker === 'spk1')).toBe(true);
    // Assigning again replaces the old speakers and flags rather than adding to them.
    const again = assignSpeakers(doc, [{ start: 0, end: 3, speaker: 'X' }]).doc;
    expect(documentWords(again.segments).some((w) => w.flags.includes('overlap'))).toBe(false);
    expect(again.speakers).toEqual([{ id: 'spk1', name: 'Speaker 1' }]);
  });

  it('finds a long turn that started before shorter ones, whatever order they come in', () => {
    const { doc } = assignSpeakers(sample(), [
      { start: 1, end: 1.2, speaker: 'B' }, // inside three (1000–1400)
      { start: 2.5, end: 2.6, speaker: 'C' }, // inside six (2500–2900)
      { start: 0, end: 3, speaker: 'A' }, // under everything, listed last
    ]);
    // four and five (1500–2400) lie after B's end and before C's start: only A reaches them.
    expect(speakersOf(doc)).toEqual(['spk1', 'spk1', 'spk1', 'spk1', 'spk1', 'spk1']);
    const words = documentWords(doc.segments);
    // B covers half of three; C a quarter of six.
    expect(words.filter((w) => w.flags.includes('overlap')).map((w) => w.text)).toEqual(['three']);
  });

  it('does not change the document it is given', () => {
    const doc = sample();
    const before = structuredClone(doc);
    assignSpeakers(doc, [{ start: 0, end: 3, speaker: 'A' }]);
    expect(doc).toEqual(before);
  });
});
