/**
 * Word (DOCX), written with the `docx` library: a title, then one paragraph per segment. Each
 * paragraph may open with the segment's start time (grey, `[HH:MM:SS]`) and, where the speaker
 * changes, the speaker's name in bold. Words flagged `low-confidence` are shaded pale amber, and
 * a one-line note under the title explains the shading when the document has any.
 */
import { Document, HeadingLevel, Packer, Paragraph, ShadingType, TextRun } from 'docx';
import type { Segment, TranscriptDocument, Word } from '../../contract/document';
import { speakerName } from '../../common/document-text';
import { formatTimecode } from './timecode';

export interface DocxOptions {
  /** @default 'Transcript' */
  title?: string;
  /** Open each paragraph with its start time. @default true */
  timestamps?: boolean;
  /** Name the speaker where the speaker changes. @default true */
  speakers?: boolean;
  /** Shade words flagged `low-confidence`. @default true */
  markLowConfidence?: boolean;
}

const GREY = '808080';
const LOW_CONFIDENCE_SHADING = { type: ShadingType.CLEAR, color: 'auto', fill: 'FFF2CC' } as const;

const isLow = (word: Word) => word.flags.includes('low-confidence');

/** Runs for `words`: consecutive words of the same kind share one run. */
function wordRuns(words: readonly Word[], mark: boolean): TextRun[] {
  const groups: { low: boolean; words: string[] }[] = [];
  for (const word of words) {
    const low = mark && isLow(word);
    const group = groups.at(-1);
    if (group && group.low === low) group.words.push(word.text);
    else groups.push({ low, words: [word.text] });
  }
  const runs: TextRun[] = [];
  groups.forEach((group, i) => {
    const text = group.words.join(' ');
    runs.push(
      group.low ? new TextRun({ text, shading: LOW_CONFIDENCE_SHADING }) : new TextRun(text),
    );
    // The space between two groups stays outside the shading.
    if (i < groups.length - 1) runs.push(new TextRun(' '));
  });
  return runs;
}

function segmentParagraph(
  doc: TranscriptDocument,
  segment: Segment,
  previous: Segment | undefined,
  options: Required<Omit<DocxOptions, 'title'>>,
): Paragraph {
  const children: TextRun[] = [];
  if (options.timestamps) {
    children.push(new TextRun({ text: `[${formatTimecode(segment.start, null)}] `, color: GREY }));
  }
  const name = speakerName(doc, segment.speaker);
  if (options.speakers && name !== null && previous?.speaker !== segment.speaker) {
    children.push(new TextRun({ text: `${name}: `, bold: true }));
  }
  const words = segment.lines.flatMap((line) => line.words);
  children.push(...wordRuns(words, options.markLowConfidence));
  return new Paragraph({ children, spacing: { after: 120 } });
}

export async function exportDocx(
  doc: TranscriptDocument,
  options: DocxOptions = {},
): Promise<Buffer> {
  const {
    title = 'Transcript',
    timestamps = true,
    speakers = true,
    markLowConfidence = true,
  } = options;
  const paragraphs = [new Paragraph({ text: title, heading: HeadingLevel.TITLE })];
  const hasLow = doc.segments.some((s) => s.lines.some((l) => l.words.some(isLow)));
  if (markLowConfidence && hasLow) {
    paragraphs.push(
      new Paragraph({
        children: [
          new TextRun({ text: 'Words ', italics: true, color: GREY }),
          new TextRun({
            text: 'shaded like this',
            italics: true,
            color: GREY,
            shading: LOW_CONFIDENCE_SHADING,
          }),
          new TextRun({
            text: ' were transcribed with low confidence.',
            italics: true,
            color: GREY,
          }),
        ],
        spacing: { after: 240 },
      }),
    );
  }
  doc.segments.forEach((segment, i) => {
    paragraphs.push(
      segmentParagraph(doc, segment, doc.segments[i - 1], {
        timestamps,
        speakers,
        markLowConfidence,
      }),
    );
  });
  const document = new Document({
    title,
    creator: 'Transcription Studio',
    sections: [{ children: paragraphs }],
  });
  return Packer.toBuffer(document);
}
