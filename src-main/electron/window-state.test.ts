import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultWindowSize,
  loadWindowState,
  restoredBounds,
  saveWindowState,
  type WindowState,
} from './window-state';

const dir = mkdtempSync(join(tmpdir(), 'studio-window-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const saved: WindowState = { x: 100, y: 80, width: 1000, height: 700, maximized: false };

describe('window state', () => {
  it('reopens where the window was while that place is on a display', () => {
    expect(restoredBounds(saved, [laptop])).toEqual({ x: 100, y: 80, width: 1000, height: 700 });
  });

  it('keeps the size but lets the system place it when its display is gone', () => {
    const onUnpluggedMonitor = { ...saved, x: 2000 };
    expect(restoredBounds(onUnpluggedMonitor, [laptop])).toEqual({ width: 1000, height: 700 });
    const external = { x: 1440, y: 0, width: 1920, height: 1080 };
    expect(restoredBounds(onUnpluggedMonitor, [laptop, external])).toMatchObject({ x: 2000 });
  });

  it('starts at the default size without a saved state, and survives a damaged file', async () => {
    expect(restoredBounds(null, [laptop])).toEqual(defaultWindowSize);
    const file = join(dir, 'window.json');
    writeFileSync(file, '{"x": 1,');
    expect(loadWindowState(file)).toBeNull();
    expect(loadWindowState(join(dir, 'missing.json'))).toBeNull();
    await saveWindowState(file, saved);
    expect(loadWindowState(file)).toEqual(saved);
  });
});
