import { describe, expect, it } from 'vitest';
import { clampFontSize, overlayFont, readOverlayPrefs } from './overlay-prefs';

const storage = (values: Record<string, string>) => ({
  getItem: (key: string) => values[key] ?? null,
});

describe('clampFontSize', () => {
  it('keeps sizes within the range, on the step grid', () => {
    expect(clampFontSize(50)).toBe(48);
    expect(clampFontSize(8)).toBe(overlayFont.min);
    expect(clampFontSize(500)).toBe(overlayFont.max);
    expect(clampFontSize(Number.NaN)).toBe(overlayFont.initial);
  });
});

describe('readOverlayPrefs', () => {
  it('reads the remembered size and position', () => {
    expect(
      readOverlayPrefs(
        storage({ 'studio.overlay.fontSize': '72', 'studio.overlay.position': 'top' }),
      ),
    ).toEqual({ fontSize: 72, position: 'top' });
  });

  it('falls back to the defaults for missing or odd values and for no storage', () => {
    const defaults = { fontSize: overlayFont.initial, position: 'bottom' };
    expect(readOverlayPrefs(storage({}))).toEqual(defaults);
    expect(
      readOverlayPrefs(
        storage({ 'studio.overlay.fontSize': 'big', 'studio.overlay.position': 'left' }),
      ),
    ).toEqual(defaults);
    expect(readOverlayPrefs(undefined)).toEqual(defaults);
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readOverlayPrefs(broken).position).toBe('bottom');
  });
});
