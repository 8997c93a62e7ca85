import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineRejection } from '../test-support/engine-rejection';
import { parseRttm, parseUem, readReferenceSpeech } from './rttm';
import { totalDuration } from './speech-score';

const diarization = resolve(import.meta.dirname, '../../../test-data/fixtures/diarization');

describe('parseRttm / parseUem', () => {
  it('reads SPEAKER lines and skips comments, blanks and other types', () => {
    const text = [
      ';; a comment',
      '',
      'SPKR-INFO f 1 <NA> <NA> <NA> unknown A <NA> <NA>',
      'SPEAKER f 1 1.5 2.25 <NA> <NA> A <NA> <NA>',
      'SPEAKER  f\t1 4 1 <NA> <NA> B <NA> <NA>',
    ].join('\n');
    expect(parseRttm(text)).toEqual([
      { file: 'f', channel: '1', start: 1.5, end: 3.75, speaker: 'A' },
      { file: 'f', channel: '1', start: 4, end: 5, speaker: 'B' },
    ]);
    expect(parseUem('f NA 0.000 30.000\r\n')).toEqual([
      { file: 'f', channel: 'NA', start: 0, end: 30 },
    ]);
  });

  it('names the first malformed line', () => {
    expect(() => parseRttm('SPEAKER f 1 x 2 <NA> <NA> A', 'a.rttm')).toThrow(/a\.rttm line 1 /);
    expect(() => parseRttm('\nSPEAKER f 1 1 -2 <NA> <NA> A')).toThrow(/line 2/);
    expect(() => parseUem('f NA 5 1', 'b.uem')).toThrow(/b\.uem line 1 /);
  });
});

describe('readReferenceSpeech on the shared diarization fixtures', () => {
  it('sample: the union of both speakers’ turns', async () => {
    const ref = await readReferenceSpeech(`${diarization}/sample.rttm`, 'sample');
    expect(ref.speakers).toEqual(['speaker90', 'speaker91']);
    expect(ref.scored).toBeNull();
    // By hand from sample.rttm: 6.69–7.12 alone, then turns chained by overlaps from 7.55 to
    // 17.92, 18.05–21.49 (with 18.15–18.59 inside it), and 21.78–28.50 + 27.85–30.00.
    const expected = [
      [6.69, 7.12],
      [7.55, 17.92],
      [18.05, 21.49],
      [21.78, 30],
    ];
    expect(ref.speech).toHaveLength(expected.length);
    ref.speech.forEach((region, i) => {
      expect(region.start).toBeCloseTo(expected[i]?.[0] ?? NaN, 9);
      expect(region.end).toBeCloseTo(expected[i]?.[1] ?? NaN, 9);
    });
    expect(totalDuration(ref.speech)).toBeCloseTo(0.43 + 10.37 + 3.44 + 8.22, 9);
  });

  it('dev00: restricted to the UEM scored region', async () => {
    const ref = await readReferenceSpeech(
      `${diarization}/debug.development.rttm`,
      'dev00',
      `${diarization}/debug.development.uem`,
    );
    expect(ref.scored).toEqual([{ start: 0, end: 30 }]);
    expect(ref.speakers).toEqual(['MEE009', 'MEE012']);
    expect(ref.speech[0]?.start).toBeCloseTo(1.44, 9);
    expect(ref.speech.at(-1)?.end).toBeCloseTo(30, 9);
    expect(totalDuration(ref.speech)).toBeGreaterThan(20);
  });

  it('refuses a file id the RTTM does not know, and a missing file', async () => {
    const error = await engineRejection(
      readReferenceSpeech(`${diarization}/sample.rttm`, 'dev00'),
      'NOT_FOUND',
    );
    expect(error.message).toMatch(/no speaker turns for "dev00"/);
    await engineRejection(readReferenceSpeech(`${diarization}/nope.rttm`, 'x'), 'NOT_FOUND');
  });
});
