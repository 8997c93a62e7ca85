import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import {
  broadcastRules,
  customRules,
  framesToMs,
  presetRules,
  socialRules,
  type CaptionPresetId,
} from './presets';

describe('caption presets', () => {
  it('broadcast: 42 × 2, 17 cps, 1–7 s, 2 frames at 25 fps', () => {
    expect(broadcastRules()).toEqual({
      maxCharsPerLine: 42,
      maxLines: 2,
      maxCharsPerSecond: 17,
      minDurationMs: 1000,
      maxDurationMs: 7000,
      minGapMs: 80,
    });
  });

  it('takes the frame rate for the frame-counted gap', () => {
    expect(broadcastRules({ fps: 30 }).minGapMs).toBe(67);
    expect(broadcastRules({ fps: 29.97 }).minGapMs).toBe(67);
    expect(broadcastRules({ fps: 50 }).minGapMs).toBe(40);
    expect(framesToMs(2, 24)).toBe(83);
    expect(() => framesToMs(2, 0)).toThrow(RangeError);
  });

  it('social: one line of 32, 20 cps, 0.8–3 s, 2 frames at 30 fps', () => {
    expect(socialRules()).toEqual({
      maxCharsPerLine: 32,
      maxLines: 1,
      maxCharsPerSecond: 20,
      minDurationMs: 800,
      maxDurationMs: 3000,
      minGapMs: 67,
    });
  });

  it('validates custom rules, with the gap in milliseconds or in frames', () => {
    const base = {
      maxCharsPerLine: 37,
      maxLines: 3,
      maxCharsPerSecond: 15,
      minDurationMs: 1200,
      maxDurationMs: 6000,
    };
    expect(customRules({ ...base, minGapMs: 100 })).toEqual({ ...base, minGapMs: 100 });
    expect(customRules({ ...base, minGapFrames: 3, fps: 24 })).toEqual({ ...base, minGapMs: 125 });
    expect(presetRules('custom', { custom: { ...base, minGapMs: 0 } }).minGapMs).toBe(0);
  });

  it('rejects invalid custom rules with every problem listed', () => {
    const bad = {
      maxCharsPerLine: 0,
      maxLines: 2,
      maxCharsPerSecond: -1,
      minDurationMs: 5000,
      maxDurationMs: 1000,
      minGapMs: 80,
    };
    let error: unknown;
    try {
      customRules(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('INVALID_ARGUMENT');
    expect((error as EngineError).message).toMatch(/maxCharsPerLine/);
    expect((error as EngineError).message).toMatch(/maxCharsPerSecond/);
    expect(() => customRules({ ...bad, maxCharsPerLine: 42, maxCharsPerSecond: 17 })).toThrow(
      /maxDurationMs must be > 0 and ≥ minDurationMs/,
    );
    const noGap = {
      maxCharsPerLine: 42,
      maxLines: 2,
      maxCharsPerSecond: 17,
      minDurationMs: 1000,
      maxDurationMs: 7000,
    };
    expect(() => customRules(noGap)).toThrow(/exactly one of minGapMs and minGapFrames/);
    expect(() => customRules({ ...noGap, minGapFrames: 2 })).toThrow(/minGapFrames needs fps/);
  });

  it('resolves presets by name and rejects unknown ones', () => {
    expect(presetRules('broadcast')).toEqual(broadcastRules());
    expect(presetRules('social', { fps: 60 }).minGapMs).toBe(33);
    expect(() => presetRules('custom')).toThrow(/needs custom rules/);
    expect(() => presetRules('cinema' as CaptionPresetId)).toThrow(
      /Unknown caption preset "cinema". Valid presets: broadcast, social, custom./,
    );
  });
});
