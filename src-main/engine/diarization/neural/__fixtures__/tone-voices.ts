/**
 * Two "voices" the dummy models of dummy-models.ts tell apart: a dark one (200 and 400 Hz
 * partials) and a bright one (2.5 and 3.3 kHz), on a known timeline with silence between turns.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { wavHeader } from '../../../live/wav-writer';

export interface ToneTurn {
  speaker: 'dark' | 'bright';
  start: number;
  end: number;
}

const PARTIALS = { dark: [200, 400], bright: [2500, 3300] } as const;
const SAMPLE_RATE = 16_000;

/** `seconds` of 16 kHz audio holding `turns` (amplitude 0.3) and silence elsewhere. */
export function renderTones(turns: readonly ToneTurn[], seconds: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  for (const turn of turns) {
    const partials = PARTIALS[turn.speaker];
    const end = Math.min(out.length, Math.round(turn.end * SAMPLE_RATE));
    for (let i = Math.round(turn.start * SAMPLE_RATE); i < end; i++) {
      let sum = 0;
      for (const f of partials) sum += Math.sin((2 * Math.PI * f * i) / SAMPLE_RATE);
      out[i] = (0.3 * sum) / partials.length;
    }
  }
  return out;
}

/** Six alternating turns over 30 s: what the neural path must find with the dummy models. */
export const TWO_TONE_TURNS: readonly ToneTurn[] = [
  { speaker: 'dark', start: 0.5, end: 4 },
  { speaker: 'bright', start: 5, end: 9 },
  { speaker: 'dark', start: 10, end: 13.5 },
  { speaker: 'bright', start: 14.5, end: 19 },
  { speaker: 'dark', start: 20, end: 24 },
  { speaker: 'bright', start: 25, end: 29 },
];

export const TWO_TONE_SECONDS = 30;

/** Writes `samples` as a 16 kHz mono 16-bit PCM WAV file. */
export function writeWav16k(path: string, samples: Float32Array): void {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) =>
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), 2 * i),
  );
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, Buffer.concat([wavHeader(data.length), data]));
}
