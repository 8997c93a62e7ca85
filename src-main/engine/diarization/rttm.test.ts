import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { engineRejection } from '../test-support/engine-rejection';
import { diarizationDir } from './__fixtures__/diarization-fixtures';
import { formatRttm, readDiarizationReferences, rttmTurnsByFile, uemRegionsByFile } from './rttm';

describe('rttmTurnsByFile / uemRegionsByFile', () => {
  it('groups turns and scored regions by file id', () => {
    const rttm = [
      ';; two files',
      'SPEAKER a 1 0.5 1.25 <NA> <NA> S1 <NA> <NA>',
      'SPEAKER b 1 2 1 <NA> <NA> S2 <NA> <NA>',
      'SPEAKER a 1 3 0.5 <NA> <NA> S2 <NA> <NA>',
    ].join('\n');
    expect(rttmTurnsByFile(rttm)).toEqual(
      new Map([
        [
          'a',
          [
            { start: 0.5, end: 1.75, speaker: 'S1' },
            { start: 3, end: 3.5, speaker: 'S2' },
          ],
        ],
        ['b', [{ start: 2, end: 3, speaker: 'S2' }]],
      ]),
    );
    // Overlapping lines of one file are joined.
    expect(uemRegionsByFile('a NA 0 10\na NA 5 12\nb 1 1 2\n')).toEqual(
      new Map([
        ['a', [{ start: 0, end: 12 }]],
        ['b', [{ start: 1, end: 2 }]],
      ]),
    );
  });

  it('names the malformed line with INVALID_ARGUMENT', () => {
    const bad = 'SPEAKER a 1 0 1 <NA> <NA> S1 <NA> <NA>\nSPEAKER a 1 zero 1 <NA> <NA> S1';
    let error: unknown;
    try {
      rttmTurnsByFile(bad, 'x.rttm');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_ARGUMENT');
    expect((error as EngineError).message).toMatch(/x\.rttm line 2 /);
    expect(() => uemRegionsByFile('a NA 0 10\n\na NA 3', 'y.uem')).toThrow(/y\.uem line 3 /);
  });
});

describe('readDiarizationReferences on the shared fixtures', () => {
  it('reads debug.development.rttm with its UEM', async () => {
    const refs = await readDiarizationReferences(
      join(diarizationDir, 'debug.development.rttm'),
      join(diarizationDir, 'debug.development.uem'),
    );
    expect([...refs.keys()]).toEqual(['dev00', 'dev01']);
    const dev00 = refs.get('dev00');
    expect(dev00?.turns).toHaveLength(9);
    expect(dev00?.turns[0]).toEqual({ start: 1.44, end: 1.44 + 11.872, speaker: 'MEE009' });
    expect(dev00?.scored).toEqual([{ start: 0, end: 30 }]);
    expect(refs.get('dev01')?.turns).toHaveLength(8);
  });

  it('has no scored zone without a UEM, and rejects unreadable files', async () => {
    const refs = await readDiarizationReferences(join(diarizationDir, 'sample.rttm'));
    expect(refs.get('sample')?.turns).toHaveLength(10);
    expect(refs.get('sample')?.scored).toBeNull();
    await engineRejection(readDiarizationReferences(join(diarizationDir, 'no.rttm')), 'NOT_FOUND');
  });
});

describe('readDiarizationReferences with a UEM that lacks a file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rttm-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores nothing of that file', async () => {
    await writeFile(join(dir, 'r.rttm'), formatRttm('a', [{ start: 0, end: 1, speaker: 'S' }]));
    await writeFile(join(dir, 'r.uem'), 'b NA 0 10\n');
    const refs = await readDiarizationReferences(join(dir, 'r.rttm'), join(dir, 'r.uem'));
    expect(refs.get('a')?.scored).toEqual([]);
  });
});

describe('formatRttm', () => {
  it('writes sorted SPEAKER lines that read back as the same turns', () => {
    const turns = [
      { start: 3.25, end: 4, speaker: 'SPEAKER_01' },
      { start: 0, end: 2.5, speaker: 'SPEAKER_00' },
      { start: 3.25, end: 3.5, speaker: 'SPEAKER_00' },
    ];
    const text = formatRttm('interview', turns);
    expect(text).toBe(
      [
        'SPEAKER interview 1 0.000 2.500 <NA> <NA> SPEAKER_00 <NA> <NA>',
        'SPEAKER interview 1 3.250 0.250 <NA> <NA> SPEAKER_00 <NA> <NA>',
        'SPEAKER interview 1 3.250 0.750 <NA> <NA> SPEAKER_01 <NA> <NA>',
        '',
      ].join('\n'),
    );
    const back = rttmTurnsByFile(text).get('interview');
    expect(back).toEqual([turns[1], turns[2], turns[0]]);
    expect(formatRttm('x', [], { channel: '2' })).toBe('');
    expect(formatRttm('x', [{ start: 1, end: 2, speaker: 'A' }], { channel: '2' })).toMatch(
      /^SPEAKER x 2 1\.000 1\.000 /,
    );
  });

  it('refuses names with whitespace and impossible times', () => {
    const ok = { start: 0, end: 1, speaker: 'A' };
    expect(() => formatRttm('my file', [ok])).toThrow(/file id "my file"/);
    expect(() => formatRttm('f', [{ ...ok, speaker: 'Ann Lee' }])).toThrow(/speaker "Ann Lee"/);
    expect(() => formatRttm('f', [{ ...ok, speaker: '' }])).toThrow(EngineError);
    expect(() => formatRttm('f', [{ ...ok, end: -1 }])).toThrow(/ends \(-1 s\) before/);
    expect(() => formatRttm('f', [{ ...ok, start: Number.NaN }])).toThrow(/finite/);
  });
});
