import type { TranscriptDocument, Word } from '../contract/document';

/** A stretch of the media to play as a speaker's voice sample, in ms. */
export interface SampleClip {
  start: number;
  end: number;
}

export interface SpeakerStats {
  /** Null for words nobody is assigned to. */
  id: string | null;
  name: string;
  /** Milliseconds of the speaker's words. */
  talkMs: number;
  words: number;
  /**
   * Up to 5 s of the speaker alone: the start of their longest stretch of speech without another
   * voice over it. Null for "Unassigned", or when every word is spoken over.
   */
  sample: SampleClip | null;
}

/** Words further apart than this belong to different stretches (the gap is not their voice). */
const STRETCH_GAP_MS = 1000;
export const SAMPLE_CLIP_MS = 5000;

/** The longest clean stretch of each speaker, cut to at most 5 s at a word's end. */
function sampleClips(words: readonly Word[]): Map<string, SampleClip> {
  const longest = new Map<string, Word[]>();
  let run: Word[] = [];
  const close = () => {
    const speaker = run[0]?.speaker;
    if (speaker) {
      const best = longest.get(speaker);
      const length = (list: Word[]) => list.at(-1)!.end - list[0]!.start;
      if (!best || length(run) > length(best)) longest.set(speaker, run);
    }
    run = [];
  };
  for (const word of words) {
    const previous = run.at(-1);
    const clean = word.speaker !== null && !word.flags.includes('overlap');
    if (
      previous &&
      (!clean || word.speaker !== previous.speaker || word.start - previous.end > STRETCH_GAP_MS)
    ) {
      close();
    }
    if (clean) run.push(word);
  }
  close();
  const clips = new Map<string, SampleClip>();
  for (const [speaker, stretch] of longest) {
    const start = stretch[0]!.start;
    // End at the last word that fits in 5 s, so the sample does not stop mid-word.
    const fitting = stretch.filter((word) => word.end - start <= SAMPLE_CLIP_MS);
    const end = fitting.at(-1)?.end ?? Math.min(stretch[0]!.end, start + SAMPLE_CLIP_MS);
    clips.set(speaker, { start, end });
  }
  return clips;
}

/**
 * Talk time, word count and a voice sample per listed speaker (then "Unassigned", when any word
 * has none). Shared by the engine and the editor.
 */
export function speakerStats(doc: TranscriptDocument): SpeakerStats[] {
  const words = doc.segments.flatMap((segment) => segment.lines.flatMap((line) => line.words));
  const clips = sampleClips(words);
  const byId = new Map<string | null, SpeakerStats>(
    doc.speakers.map((s) => [
      s.id,
      { id: s.id, name: s.name, talkMs: 0, words: 0, sample: clips.get(s.id) ?? null },
    ]),
  );
  for (const word of words) {
    let stats = byId.get(word.speaker);
    if (!stats) {
      stats = { id: word.speaker, name: 'Unassigned', talkMs: 0, words: 0, sample: null };
      byId.set(word.speaker, stats);
    }
    stats.talkMs += word.end - word.start;
    stats.words++;
  }
  return [...byId.values()];
}
