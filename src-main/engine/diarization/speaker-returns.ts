/**
 * A test for "one speaker or more" when the number is not given: in a conversation each speaker
 * comes back after another has spoken, while a single voice whose sound drifts (tiredness, a
 * new sentence's pitch, another recording session) splits into an earlier and a later part, or
 * one stretch inside the rest, that never alternate.
 *
 * So the tree's top split into two clusters counts as two speakers only if each cluster has at
 * least `minReturnSec` of speech outside its longest uninterrupted stretch. Measured on that
 * split (Silero VAD regions, 0.5 s blocks): 0 s in all ten one-speaker recordings of
 * test-data/fixtures/speech (jfk, goforward, five LibriVox clips and their 25 s concatenation,
 * LibriSpeech, whisper-french), 1.7 s (dev01), 2.4 s (dev00) and 3.0 s (sample) in the
 * two-speaker ones of test-data/fixtures/diarization.
 *
 * The price: two speakers who each speak once (A then B, or A B A) come out as one, unless the
 * caller passes `minSpeakers` or `numSpeakers`.
 */
import type { SpeechBlock } from './speech-blocks';

/**
 * Speech (seconds) a cluster needs outside its longest stretch to count as a speaker who comes
 * back: two 0.5 s blocks, halfway between the one-speaker (0 s) and two-speaker (≥ 1.7 s) figures.
 */
export const DEFAULT_MIN_RETURN_SEC = 1;

/**
 * For each label, the seconds of its blocks outside its longest run of consecutive blocks (in
 * time order; a run ends only where another label's block comes between).
 */
export function returnedSpeech(
  blocks: readonly SpeechBlock[],
  labels: Int32Array,
): Map<number, number> {
  const total = new Map<number, number>();
  const longest = new Map<number, number>();
  let run = 0;
  blocks.forEach((block, i) => {
    const label = labels[i]!;
    const seconds = block.end - block.start;
    run = i > 0 && labels[i - 1] === label ? run + seconds : seconds;
    total.set(label, (total.get(label) ?? 0) + seconds);
    longest.set(label, Math.max(longest.get(label) ?? 0, run));
  });
  return new Map([...total].map(([label, seconds]) => [label, seconds - longest.get(label)!]));
}

/** Whether every cluster of `labels` comes back with at least `minReturnSec` of speech. */
export function speakersReturn(
  blocks: readonly SpeechBlock[],
  labels: Int32Array,
  minReturnSec = DEFAULT_MIN_RETURN_SEC,
): boolean {
  const returned = returnedSpeech(blocks, labels);
  return returned.size > 1 && [...returned.values()].every((s) => s >= minReturnSec);
}
