/**
 * WebVTT: the `WEBVTT` header, then one cue per segment, `HH:MM:SS.mmm --> HH:MM:SS.mmm` and the
 * caption's lines. A segment with a speaker opens with a voice tag, `<v Name>`, using the
 * speaker's display name. `&`, `<` and `>` in text and names are written as character references.
 */
import type { TranscriptDocument } from '../../contract/document';
import { lineText, speakerName } from '../../common/document-text';
import { formatTimecode } from './timecode';

export interface VttOptions {
  /**
   * Open each cue that has a speaker with a `<v Name>` voice tag.
   * @default true
   */
  voiceTags?: boolean;
}

/** `text` with the characters WebVTT cue text reserves escaped. */
export function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function exportVtt(doc: TranscriptDocument, options: VttOptions = {}): string {
  const { voiceTags = true } = options;
  const cues = doc.segments.map((segment) => {
    const timing = `${formatTimecode(segment.start, '.')} --> ${formatTimecode(segment.end, '.')}`;
    const name = voiceTags ? speakerName(doc, segment.speaker) : null;
    const lines = segment.lines.map((line) => escapeVtt(lineText(line)));
    if (name !== null) lines[0] = `<v ${escapeVtt(name)}>${lines[0] ?? ''}`;
    return [timing, ...lines].join('\n') + '\n';
  });
  return ['WEBVTT\n', ...cues].join('\n');
}
