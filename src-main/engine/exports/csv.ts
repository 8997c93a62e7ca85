/**
 * CSV, one row per word, RFC 4180: comma-separated, CRLF line ends, a header row, and fields
 * quoted (quotes doubled) when they hold a comma, a quote, CR or LF.
 *
 * Columns:
 * - `start_seconds`, `end_seconds`: seconds from the media start with 3 decimals (exact, since
 *   times are whole milliseconds; spreadsheets read them as numbers);
 * - `word`: the word as shown;
 * - `confidence`: 0..1 with 3 decimals;
 * - `speaker`: the speaker's display name, empty when unknown;
 * - `flags`: the word's flags joined by `;` (e.g. `low-confidence;edited`), empty when none.
 */
import type { TranscriptDocument } from '../../contract/document';
import { speakerName } from '../../common/document-text';

export const csvColumns = [
  'start_seconds',
  'end_seconds',
  'word',
  'confidence',
  'speaker',
  'flags',
] as const;

/** `field` quoted for CSV when it needs to be. */
export function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function exportCsv(doc: TranscriptDocument): string {
  const rows: string[][] = [[...csvColumns]];
  for (const segment of doc.segments) {
    for (const line of segment.lines) {
      for (const word of line.words) {
        rows.push([
          seconds(word.start),
          seconds(word.end),
          word.text,
          word.confidence.toFixed(3),
          speakerName(doc, word.speaker) ?? '',
          word.flags.join(';'),
        ]);
      }
    }
  }
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}
