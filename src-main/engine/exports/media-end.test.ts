import { describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../contract/document';
import { socialRules } from '../captions/presets';
import { documentOf, cue } from './__fixtures__/sample-document';
import { parseCues } from './__fixtures__/parse-cues';
import { readZip } from './__fixtures__/read-zip';
import { exportDocument, exportFormats } from './index';

/**
 * A transcript of a 6.5 s recording whose last caption (a Whisper hallucination past the end of
 * a cut file, say) runs to 7.4 s: its third caption ends 0.5 s after the audio, the fourth starts
 * after it.
 */
function pastTheEnd(): TranscriptDocument {
  return {
    ...documentOf(
      [
        cue('c1', null, 1000, 3500, ['Hello, and welcome', 'to the show.']),
        cue('c2', null, 4000, 5200, ['Today: fish and chips.']),
        cue('c3', null, 6000, 7000, ['Thanks for', 'watching.']),
        cue('c4', null, 6800, 7400, ['Bye now.']),
      ],
      [],
    ),
    durationMs: 6500,
  };
}

const seconds = (text: string) => Math.round(Number(text) * 1000);

describe('exports end with the audio', () => {
  it('the test document runs past its audio', () => {
    const words = pastTheEnd().segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.at(-1)!.end).toBeGreaterThan(6500);
  });

  it.each([{}, { rules: socialRules() }])(
    'no SRT or WebVTT cue ends after the audio (options %o)',
    async (options) => {
      for (const format of ['srt', 'vtt'] as const) {
        const cues = parseCues(String(await exportDocument(pastTheEnd(), format, options)));
        expect(cues.length).toBeGreaterThan(0);
        for (const c of cues) {
          expect(c.end, `${format} ${c.lines.join(' ')}`).toBeLessThanOrEqual(6500);
          expect(c.start).toBeLessThanOrEqual(c.end);
        }
        // Nothing is dropped: the words past the end are still there.
        expect(cues.flatMap((c) => c.lines).join(' ')).toContain('Bye now.');
      }
    },
  );

  it('no word of the CSV or JSON export ends after the audio', async () => {
    const rows = String(await exportDocument(pastTheEnd(), 'csv'))
      .trim()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(','));
    expect(rows.length).toBe(15);
    for (const [start = '', end = ''] of rows) {
      expect(seconds(end)).toBeLessThanOrEqual(6500);
      expect(seconds(start)).toBeLessThanOrEqual(seconds(end));
    }
    const json = JSON.parse(
      String(await exportDocument(pastTheEnd(), 'json')),
    ) as TranscriptDocument;
    expect(json.durationMs).toBe(6500);
    for (const segment of json.segments) {
      expect(segment.end).toBeLessThanOrEqual(6500);
      for (const line of segment.lines) {
        expect(line.end).toBeLessThanOrEqual(6500);
        for (const word of line.words) expect(word.end).toBeLessThanOrEqual(6500);
      }
    }
  });

  it('every format exports the document (DOCX and TXT times are segment starts)', async () => {
    for (const format of exportFormats) {
      const out = await exportDocument(
        pastTheEnd(),
        format,
        format === 'txt' ? { style: 'timestamps' } : {},
      );
      if (format === 'docx') {
        expect(String(readZip(out as Buffer).get('word/document.xml'))).toContain('Bye now.');
      } else {
        expect(String(out).length).toBeGreaterThan(0);
      }
    }
  });
});
