/**
 * Puts a diarization into a transcript: every word gets the speaker whose turns overlap it most,
 * words spoken while another speaker also talks are flagged `overlap`, and the document is
 * re-wrapped, so segments (captions) split wherever the speaker changes. Pure.
 */
import type { TranscriptDocument, Word } from '../../contract/document';
import { documentWords, wrapDocument } from '../../common/captions/wrap';
import type { SpeakerTurn } from '../diarization/speaker-turns';

/** A turn in the document's unit (ms); the label is the diarizer's, only its identity matters. */
interface TurnMs {
  start: number;
  end: number;
  speaker: string;
}

export interface AssignSpeakersOptions {
  /**
   * A word no turn covers (diarizers drop short stretches) takes the speaker of the nearest turn
   * within this distance; farther away it keeps no speaker.
   * @default 1000
   */
  nearestWithinMs?: number;
  /**
   * A word is `overlap` when a second speaker covers at least this share of it.
   * @default 0.5
   */
  overlapShare?: number;
}

/** Time each speaker's turns cover of [start, end), largest first. */
function coverage(turns: readonly TurnMs[], start: number, end: number) {
  const bySpeaker = new Map<string, number>();
  for (const turn of turns) {
    const shared = Math.min(end, turn.end) - Math.max(start, turn.start);
    if (shared > 0) bySpeaker.set(turn.speaker, (bySpeaker.get(turn.speaker) ?? 0) + shared);
  }
  return [...bySpeaker].sort((a, b) => b[1] - a[1]);
}

function nearestSpeaker(turns: readonly TurnMs[], word: Word, withinMs: number) {
  let best: { speaker: string; distance: number } | undefined;
  for (const turn of turns) {
    const distance = Math.max(turn.start - word.end, word.start - turn.end);
    if (distance <= withinMs && (!best || distance < best.distance)) {
      best = { speaker: turn.speaker, distance };
    }
  }
  return best?.speaker ?? null;
}

/**
 * The turns that reach into [from, to), found by binary search so a long recording's words do
 * not each scan every turn: turns sorted by start, with the running maximum of their ends (turns
 * of an overlapping diarization need not end in order).
 */
function turnIndex(diarization: readonly SpeakerTurn[]) {
  const turns = diarization
    .map((turn) => ({
      start: Math.round(turn.start * 1000),
      end: Math.round(turn.end * 1000),
      speaker: turn.speaker,
    }))
    .sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  turns.forEach((turn, i) => maxEnd.push(Math.max(turn.end, maxEnd[i - 1] ?? -Infinity)));
  return (from: number, to: number): TurnMs[] => {
    // The first turn that, or an earlier one, ends after `from`; nothing before it can reach in.
    let lo = 0;
    let hi = turns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maxEnd[mid]! > from) hi = mid;
      else lo = mid + 1;
    }
    const near: TurnMs[] = [];
    for (let i = lo; i < turns.length && turns[i]!.start < to; i++) {
      if (turns[i]!.end > from) near.push(turns[i]!);
    }
    return near;
  };
}

/**
 * `doc` with the speakers of `turns` (seconds, as diarizers give them) on its words, its
 * segments not yet re-wrapped (`assignSpeakers` does that). Speakers are numbered in order of
 * first appearance ("Speaker 1", "Speaker 2", …, ids `spk1`, `spk2`, …), replacing any the
 * document had; the returned map says which diarizer label became which id.
 */
export function labelWords(
  doc: TranscriptDocument,
  diarization: readonly SpeakerTurn[],
  options: AssignSpeakersOptions = {},
): { doc: TranscriptDocument; speakerIds: Map<string, string> } {
  const { nearestWithinMs = 1000, overlapShare = 0.5 } = options;
  const turnsIn = turnIndex(diarization);
  const speakerIds = new Map<string, string>();
  const idOf = (label: string) => {
    let id = speakerIds.get(label);
    if (!id) {
      id = `spk${speakerIds.size + 1}`;
      speakerIds.set(label, id);
    }
    return id;
  };
  const assigned = new Map<string, { speaker: string | null; overlap: boolean }>();
  for (const word of documentWords(doc.segments)) {
    const end = Math.max(word.end, word.start + 1);
    const covered = coverage(turnsIn(word.start, end), word.start, end);
    const label =
      covered[0]?.[0] ??
      nearestSpeaker(
        turnsIn(word.start - nearestWithinMs, end + nearestWithinMs),
        word,
        nearestWithinMs,
      );
    const second = covered[1]?.[1] ?? 0;
    const overlap = second >= overlapShare * Math.max(1, word.end - word.start);
    assigned.set(word.id, { speaker: label === null ? null : idOf(label), overlap });
  }
  const segments = doc.segments.map((segment) => ({
    ...segment,
    lines: segment.lines.map((line) => ({
      ...line,
      words: line.words.map((word): Word => {
        const { speaker, overlap } = assigned.get(word.id)!;
        const flags = word.flags.filter((flag) => flag !== 'overlap');
        return { ...word, speaker, flags: overlap ? [...flags, 'overlap'] : flags };
      }),
    })),
  }));
  const speakers = [...speakerIds.values()].map((id, i) => ({ id, name: `Speaker ${i + 1}` }));
  return { doc: { ...doc, speakers, segments }, speakerIds };
}

/** `labelWords`, then the captions re-wrapped so segments split where the speaker changes. */
export function assignSpeakers(
  doc: TranscriptDocument,
  diarization: readonly SpeakerTurn[],
  options: AssignSpeakersOptions = {},
): { doc: TranscriptDocument; speakerIds: Map<string, string> } {
  const labelled = labelWords(doc, diarization, options);
  return {
    ...labelled,
    doc: wrapDocument(labelled.doc, doc.captions.rules, { preset: doc.captions.preset }),
  };
}
