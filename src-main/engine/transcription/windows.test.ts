import { describe, expect, it } from 'vitest';
import { audioWindows, chooseCut, type AudioWindow } from './windows';

async function* chunksOf(samples: number, chunk: number) {
  for (let at = 0; at < samples; at += chunk) {
    const n = Math.min(chunk, samples - at);
    // Each sample holds its own index so the tests can check nothing is lost or repeated.
    yield Float32Array.from({ length: n }, (_, i) => at + i);
  }
}

const collect = async (it: AsyncIterable<AudioWindow>) => {
  const out: AudioWindow[] = [];
  for await (const w of it) out.push(w);
  return out;
};

const expectContiguous = (windows: AudioWindow[], total: number) => {
  const all = windows.flatMap((w) => [...w.pcm]);
  expect(all).toHaveLength(total);
  expect(all.every((v, i) => v === i)).toBe(true);
  for (const w of windows) expect(w.startMs).toBe(Math.round(((w.pcm[0] ?? 0) * 1000) / 16000));
};

describe('chooseCut', () => {
  const regions = [
    { startMs: 0, endMs: 50_000 },
    { startMs: 50_200, endMs: 55_000 },
    { startMs: 56_000, endMs: 59_000 },
  ];
  it('cuts in the middle of the last long-enough silence near the end', () => {
    expect(chooseCut(60_000, regions, 20_000, 300)).toBe(59_500);
    expect(chooseCut(60_000, regions.slice(0, 2), 20_000, 300)).toBe(57_500);
  });
  it('skips silences that are too short and gives up beyond the search range', () => {
    expect(chooseCut(59_100, regions, 20_000, 300)).toBe(55_500);
    expect(chooseCut(59_100, regions, 3_000, 300)).toBe(59_100);
  });
});

describe('audioWindows', () => {
  it('splits a long stream into full windows and a last one, losing nothing', async () => {
    const total = 16_000 * 25;
    const windows = await collect(audioWindows(chunksOf(total, 16_000 * 3), { maxWindowSec: 10 }));
    expect(windows.map((w) => w.pcm.length)).toEqual([160_000, 160_000, 80_000]);
    expect(windows.map((w) => w.last)).toEqual([false, false, true]);
    expect(windows.map((w) => w.startMs)).toEqual([0, 10_000, 20_000]);
    expectContiguous(windows, total);
  });

  it('cuts full windows in a silence and carries the rest into the next window', async () => {
    const total = 16_000 * 25;
    // Speech everywhere except 8.0–8.6 s of every window.
    const asked: number[] = [];
    const speechRegions = async (_pcm: Float32Array, startMs: number) => {
      asked.push(startMs);
      return [
        { startMs: 0, endMs: 8000 },
        { startMs: 8600, endMs: 10_000 },
      ];
    };
    const windows = await collect(
      audioWindows(chunksOf(total, 7000), { maxWindowSec: 10, searchBackSec: 5, speechRegions }),
    );
    expect(windows[0]).toMatchObject({ startMs: 0, last: false });
    expect(windows[0]!.pcm.length).toBe(16_000 * 8.3);
    expect(windows[1]!.startMs).toBe(8300);
    expect(asked).toEqual([0, 8300]);
    expectContiguous(windows, total);
  });

  it('gives one short window for short media and one empty window for no samples', async () => {
    expect(
      (await collect(audioWindows(chunksOf(8000, 3000)))).map((w) => [w.pcm.length, w.last]),
    ).toEqual([[8000, true]]);
    const empty = await collect(audioWindows(chunksOf(0, 100)));
    expect(empty).toHaveLength(1);
    expect(empty[0]!.pcm.length).toBe(0);
  });
});
