import { describe, expect, it } from 'vitest';
import { liveMaxFrameMs, liveSampleRate } from '../../../../src-main/contract/live';
import { bytesPerMs, frameSamples, liveSocketPath, parseServerMessage } from './live-socket';

describe('liveSocketPath', () => {
  it('carries the ticket, language and model; save=false only when not saving', () => {
    const path = liveSocketPath({
      ticket: 'wst_1+2',
      model: 'base.en',
      language: 'en',
      save: true,
    });
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/v1/live');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      ticket: 'wst_1+2',
      language: 'en',
      model: 'base.en',
    });
    const unsaved = new URL(
      liveSocketPath({ ticket: 't', model: null, language: 'auto', save: false }),
      'http://x',
    );
    expect(Object.fromEntries(unsaved.searchParams)).toEqual({
      ticket: 't',
      language: 'auto',
      save: 'false',
    });
  });
});

describe('parseServerMessage', () => {
  it('reads contract messages', () => {
    expect(parseServerMessage('{"type":"lag","behindMs":4200}')).toEqual({
      type: 'lag',
      behindMs: 4200,
    });
    expect(
      parseServerMessage('{"type":"end","durationMs":5000,"mediaId":"m1","transcriptId":"t1"}'),
    ).toMatchObject({ type: 'end', mediaId: 'm1', transcriptId: 't1' });
  });

  it('drops what is not one', () => {
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('{"type":"nope"}')).toBeNull();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
  });
});

describe('framing', () => {
  it('sends 100 ms frames, within the 1 s the server accepts', () => {
    expect((frameSamples / liveSampleRate) * 1000).toBe(100);
    expect((frameSamples / liveSampleRate) * 1000).toBeLessThanOrEqual(liveMaxFrameMs);
    expect(bytesPerMs).toBe((liveSampleRate / 1000) * 2);
  });
});
