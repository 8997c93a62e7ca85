/**
 * Fast deterministic numbers for synthetic weights: xoshiro128** (32-bit state words, so it
 * runs on JS int32 arithmetic without BigInt), seeded through splitmix32, and a
 * round-to-nearest-even float32 → float16 conversion over whole typed arrays.
 *
 * Same seed, same numbers, on every platform: only integer ops and one multiplication by a
 * power of two are involved before scaling.
 */

/** splitmix32 step: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over a string, for per-tensor stream seeds. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Xoshiro128 {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` is any safe integer; `stream` picks an independent sequence (e.g. a tensor name hash). */
  constructor(seed: number, stream = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    const state = { s: (lo ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(stream, 0x165667b1)) | 0 };
    this.#a = splitmix32(state);
    this.#b = splitmix32(state);
    this.#c = splitmix32(state);
    this.#d = splitmix32(state);
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /**
   * Fills `out` with centred uniform noise of standard deviation `std` (range ±std·√3).
   * Uniform rather than normal: the same variance at a fraction of the cost (no log/sqrt/
   * cos per element), and a random network does not care about the shape of the tails.
   */
  fillUniform(out: Float32Array, std: number): void {
    const half = std * Math.sqrt(3);
    // 24 random bits → [0, 1) exactly representable, then → [-half, half).
    const scale = (2 * half) / 0x1000000;
    let a = this.#a;
    let b = this.#b;
    let c = this.#c;
    let d = this.#d;
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 8;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      out[i] = r * scale - half;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Converts float32 values to IEEE half-precision bit patterns, rounding to nearest even
 * (what ggml's own conversion does), with overflow to ±inf, NaN kept, and subnormals.
 */
export function float32ToFloat16(src: Float32Array, dst: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const f = bits[i]!;
    const sign = (f >>> 16) & 0x8000;
    const exp = (f >>> 23) & 0xff;
    const mant = f & 0x7fffff;
    if (exp === 0xff) {
      dst[i] = sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
      continue;
    }
    const e = exp - 112; // rebias 127 → 15
    if (e >= 0x1f) {
      dst[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        dst[i] = sign;
      } else {
        const m = mant | 0x800000;
        const shift = 14 - e;
        let h = m >>> shift;
        const rem = m & ((1 << shift) - 1);
        const halfway = 1 << (shift - 1);
        if (rem > halfway || (rem === halfway && (h & 1) === 1)) h++;
        dst[i] = sign | h;
      }
    } else {
      let h = sign | (e << 10) | (mant >>> 13);
      const rem = mant & 0x1fff;
      // A carry out of the mantissa correctly bumps the exponent (up to inf).
      if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++;
      dst[i] = h;
    }
  }
}

/** Half-precision bits → number (for tests and checks). */
export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
