/** One mono signal from the channels of a render quantum: their mean (a lone channel as is). */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  const [first] = channels;
  if (!first) return new Float32Array(0);
  if (channels.length === 1) return first;
  const mono = new Float32Array(first.length);
  for (const channel of channels) {
    for (let i = 0; i < mono.length; i++) mono[i]! += channel[i] ?? 0;
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < mono.length; i++) mono[i]! *= scale;
  return mono;
}

/**
 * Float samples (−1..1) as signed 16-bit integers (`pcm_s16le` on every platform the studio runs
 * on, all little-endian), rounded and clipped: −1 → −32768, 1 → 32767.
 */
export function toPcm16(samples: Float32Array): Int16Array<ArrayBuffer> {
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const scaled = Math.round(s < 0 ? s * 32768 : s * 32767);
    pcm[i] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
  }
  return pcm;
}
