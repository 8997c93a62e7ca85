/** Small hand-built documents whose exports the tests spell out in full. */
import type { Segment, TranscriptDocument, Word, WordFlag } from '../../../contract/document';
import { makeDocument } from '../../../common/captions/__fixtures__/make-document';
import { withStructureTags } from '../../../common/document-structure';

interface WordOverride {
  confidence?: number;
  flags?: WordFlag[];
}

/**
 * A segment whose `lines` are given as text; its words last 200 ms each, back to back from
 * `start`. `overrides` maps a word's text to its confidence and flags.
 */
export function cue(
  id: string,
  speaker: string | null,
  start: number,
  end: number,
  lines: string[],
  overrides: Record<string, WordOverride> = {},
): Segment {
  let t = start;
  return {
    id,
    start,
    end,
    speaker,
    lines: lines.map((text) => {
      const words = text.split(' ').map((token, k): Word => ({
        id: `${id}-${t}-${k}`,
        text: token,
        start: t,
        end: (t += 200),
        confidence: overrides[token]?.confidence ?? 0.9,
        speaker,
        flags: overrides[token]?.flags ?? [],
        structure: [],
        tags: [],
      }));
      return { start: words[0]?.start ?? start, end: words.at(-1)?.end ?? start, words };
    }),
  };
}

export function documentOf(
  segments: Segment[],
  speakers: { id: string; name: string }[],
): TranscriptDocument {
  return {
    ...makeDocument([], { speakers, durationMs: (segments.at(-1)?.end ?? 0) + 1000 }),
    segments: withStructureTags(segments),
  };
}

/**
 * Four captions: two of Ana in one turn, one of Bob with a low-confidence word, and one without
 * a speaker past the first hour, with quotes and a flagged word.
 */
export function sampleDocument(): TranscriptDocument {
  return documentOf(
    [
      cue('c1', 'ana', 1000, 3500, ['Hello, and welcome', 'to the show.']),
      cue('c2', 'ana', 4000, 5200, ['Today: fish & chips, olé!']),
      cue('c3', 'bob', 6000, 7000, ['Thanks, Ana.'], {
        'Ana.': { confidence: 0.4123, flags: ['low-confidence'] },
      }),
      cue('c4', null, 3_723_456, 3_725_000, ['He said "no",', 'then left.'], {
        '"no",': { flags: ['corrected', 'edited'] },
      }),
    ],
    [
      { id: 'ana', name: 'Ana García' },
      { id: 'bob', name: 'Bob' },
    ],
  );
}
