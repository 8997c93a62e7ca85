/** How loud a stretch of audio is: RMS and peak amplitude, 0..1. */
export interface Level {
  rms: number;
  peak: number;
}

export const silence: Level = { rms: 0, peak: 0 };

export function measureLevel(samples: Float32Array): Level {
  let sum = 0;
  let peak = 0;
  for (const s of samples) {
    sum += s * s;
    const a = Math.abs(s);
    if (a > peak) peak = a;
  }
  return { rms: samples.length ? Math.sqrt(sum / samples.length) : 0, peak: Math.min(1, peak) };
}

/** The quietest level the meter shows; anything below reads as silence. */
export const meterFloorDb = -60;

/** An amplitude in dB full scale (−Infinity for 0). */
export const toDb = (amplitude: number): number => 20 * Math.log10(amplitude);

/** An amplitude on the meter's scale: 0 at −60 dBFS or below, 100 at full scale. */
export function meterPercent(amplitude: number): number {
  const db = toDb(amplitude);
  if (!(db > meterFloorDb)) return 0;
  return Math.min(100, Math.round(((db - meterFloorDb) / -meterFloorDb) * 100));
}

/** The level as a screen reader says it: `−18 dB, peaks −6 dB`, or `Silent`. */
export function describeLevel({ rms, peak }: Level): string {
  if (meterPercent(rms) === 0) return 'Silent';
  const db = (amplitude: number) =>
    `${Math.round(toDb(amplitude)).toString().replace('-', '−')} dB`;
  return `${db(rms)}, peaks ${db(peak)}`;
}
