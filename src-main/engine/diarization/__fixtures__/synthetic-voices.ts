/**
 * Speech-like test signals made on the fly (16 kHz): a pulse train at a wavering pitch through
 * formant resonators, cycling through vowels every 0.25 s, plus a little noise. A "voice" is a
 * pitch and a vocal-tract scale (formants × scale), the two things that tell real voices apart
 * spectrally; the same voice keeps both while its vowels change.
 */
import { seededRandom as random } from '../../documents/__fixtures__/random-result';

export { random };

export interface SynthVoice {
  /** Mean pitch in Hz. */
  f0: number;
  /** Formant scale: 1 for the reference vowels below, > 1 for a shorter vocal tract. */
  scale: number;
}

export const voiceLow: SynthVoice = { f0: 110, scale: 1 };
export const voiceHigh: SynthVoice = { f0: 210, scale: 1.22 };

/** F1–F3 (Hz) of a few vowels of an adult male voice. */
const VOWELS = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [530, 1840, 2480],
  [300, 870, 2240],
  [570, 840, 2410],
];

const SR = 16_000;

/** `seconds` of `voice` (samples roughly within ±0.5), reproducible from `seed`. */
export function synthSpeech(voice: SynthVoice, seconds: number, seed: number): Float32Array {
  const next = random(seed);
  const n = Math.round(seconds * SR);
  const out = new Float32Array(n);
  const state = VOWELS[0]!.map(() => [0, 0]);
  let phase = 0;
  let vowel = Math.floor(next() * VOWELS.length);
  let peak = 1e-9;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % (SR / 4) === 0) vowel = (vowel + 1 + Math.floor(next() * 2)) % VOWELS.length;
    const t = i / SR;
    const f0 = voice.f0 * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * t) + 0.01 * (next() - 0.5));
    phase += f0 / SR;
    let x = 0;
    if (phase >= 1) {
      phase -= 1;
      x = 1;
    }
    x += 0.02 * (next() - 0.5);
    // Formant resonators in parallel, each a two-pole filter with an 80–120 Hz bandwidth.
    let y = 0;
    VOWELS[vowel]!.forEach((formant, k) => {
      const f = Math.min(formant * voice.scale, SR / 2 - 200);
      const r = Math.exp((-Math.PI * (80 + 20 * k)) / SR);
      const s = state[k]!;
      const v = x + 2 * r * Math.cos((2 * Math.PI * f) / SR) * s[0]! - r * r * s[1]!;
      s[1] = s[0]!;
      s[0] = v;
      y += v / (k + 1);
    });
    raw[i] = y;
    peak = Math.max(peak, Math.abs(y));
  }
  for (let i = 0; i < n; i++) out[i] = (0.5 * raw[i]!) / peak + 0.003 * (next() - 0.5);
  return out;
}

/** The pieces one after another. */
export function concat(pieces: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(pieces.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `pcm` as an async stream of chunks of `chunkSec` seconds, as decodeAudio yields them. */
export async function* streamOf(pcm: Float32Array, chunkSec = 1): AsyncIterable<Float32Array> {
  const step = Math.round(chunkSec * SR);
  for (let at = 0; at < pcm.length; at += step) {
    yield pcm.slice(at, Math.min(pcm.length, at + step));
    await Promise.resolve();
  }
}
