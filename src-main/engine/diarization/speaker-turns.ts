/** Speaker turns: who speaks when, the output of a diarizer and the content of an RTTM file. */

/** One speaker talking from `start` to `end` (seconds from the start of the file). */
export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: string;
}

/** The distinct speakers of `turns`, sorted. */
export function speakersOf(turns: readonly SpeakerTurn[]): string[] {
  return [...new Set(turns.map((t) => t.speaker))].sort();
}
