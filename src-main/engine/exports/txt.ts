/**
 * Plain text, in one of three styles:
 * - `plain`: running text in paragraphs. A paragraph ends where the speaker changes or the
 *   speech pauses for `paragraphGapMs`.
 * - `timestamps`: one line per segment, `[HH:MM:SS] text`.
 * - `speakers`: one paragraph per speaker turn (consecutive segments of one speaker merged),
 *   `Name: text`; text without a known speaker is prefixed with `unknownSpeaker`.
 * Paragraphs and turns are separated by a blank line; the text ends with a newline (an empty
 * document gives an empty string).
 */
import type { Segment, TranscriptDocument } from '../../contract/document';
import { EngineError } from '../errors';
import { segmentText, speakerName, speakerTurns } from '../../common/document-text';
import { formatTimecode } from './timecode';

export const txtStyles = ['plain', 'timestamps', 'speakers'] as const;
export type TxtStyle = (typeof txtStyles)[number];

export interface TxtOptions {
  /** @default 'plain' */
  style?: TxtStyle;
  /**
   * `plain`: silence between segments that starts a new paragraph.
   * @default 2000
   */
  paragraphGapMs?: number;
  /**
   * `speakers`: the name shown for text without a speaker.
   * @default 'Unknown'
   */
  unknownSpeaker?: string;
}

function paragraphs(segments: readonly Segment[], gapMs: number): Segment[][] {
  const result: Segment[][] = [];
  for (const segment of segments) {
    const paragraph = result.at(-1);
    const previous = paragraph?.at(-1);
    const continues =
      previous !== undefined &&
      previous.speaker === segment.speaker &&
      segment.start - previous.end < gapMs;
    if (paragraph && continues) paragraph.push(segment);
    else result.push([segment]);
  }
  return result;
}

const joinBlocks = (blocks: string[], separator: string) =>
  blocks.length === 0 ? '' : blocks.join(separator) + '\n';

export function exportTxt(doc: TranscriptDocument, options: TxtOptions = {}): string {
  const { style = 'plain', paragraphGapMs = 2000, unknownSpeaker = 'Unknown' } = options;
  const text = (segments: readonly Segment[]) => segments.map(segmentText).join(' ');
  switch (style) {
    case 'plain':
      return joinBlocks(paragraphs(doc.segments, paragraphGapMs).map(text), '\n\n');
    case 'timestamps':
      return joinBlocks(
        doc.segments.map((s) => `[${formatTimecode(s.start, null)}] ${segmentText(s)}`),
        '\n',
      );
    case 'speakers':
      return joinBlocks(
        speakerTurns(doc.segments).map(
          (turn) =>
            `${speakerName(doc, turn[0]?.speaker ?? null) ?? unknownSpeaker}: ${text(turn)}`,
        ),
        '\n\n',
      );
    default:
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Unknown text style "${String(style)}". Valid styles: ${txtStyles.join(', ')}.`,
        { details: { style, valid: txtStyles } },
      );
  }
}
