/**
 * Speakers across files: a transcript's speakers with their stats, voice samples, target-word
 * counts and the known voice each sounds like; remembering a speaker's voice under a name,
 * confirming a suggestion, and forgetting a voice. Voice prints come from the diarization
 * (`speaker_prints`); a suggestion is the closest library voice of the same kind within
 * the matcher's threshold (`voiceMatchers`), computed when asked, so a forgotten voice is never
 * suggested again.
 */
import { randomUUID } from 'node:crypto';
import type { TranscriptDocument, Word } from '../../contract/document';
import type { TranscriptSpeaker } from '../../contract/speakers';
import { speakerStats } from '../../common/speaker-stats';
import { DEFAULT_NEURAL_THRESHOLD } from '../diarization/neural/diarization-service';
import { voiceDifferenceDb } from '../diarization/similar-clusters';
import { EngineError } from '../errors';
import { countTargetsInTexts } from '../glossary/target-counts';
import type { Repositories } from '../store/repositories';
import type { TranscriptRecord } from '../store/transcripts-repo';
import type { VoiceRecord } from '../store/voices-repo';
import { FALLBACK_PRINT_KIND, NEURAL_PRINT_PREFIX } from './find-speakers';

/** How two prints of one kind compare: a distance, and the most that still suggests a match. */
interface VoiceMatcher {
  distance(a: readonly number[], b: readonly number[]): number;
  threshold: number;
}

/** 1 − cosine similarity: 0 for the same direction, 1 for unrelated, 2 for opposite. */
function cosineDistance(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    aa += a[i]! * a[i]!;
    bb += (b[i] ?? 0) ** 2;
  }
  return aa > 0 && bb > 0 ? 1 - dot / Math.sqrt(aa * bb) : 2;
}

/**
 * Matchers by diarizer. Fallback spectra: two different speakers of the diarization fixtures are
 * 1.7–2.9 dB apart, one synthetic voice in two recordings 0.5–1.2 dB, so 1.5 dB. Neural
 * embeddings: the cosine distance under which sherpa-onnx joins two stretches of one recording
 * into one speaker (DEFAULT_NEURAL_THRESHOLD), so a voice is "the same" across files by the same
 * rule as within one; not yet calibrated on real models (none can be downloaded here).
 */
export const voiceMatchers = {
  fallback: { distance: voiceDifferenceDb, threshold: 1.5 },
  neural: { distance: cosineDistance, threshold: DEFAULT_NEURAL_THRESHOLD },
} satisfies Record<string, VoiceMatcher>;

const matcherFor = (kind: string): VoiceMatcher | undefined =>
  voiceMatchers[diarizerOfPrint(kind) as keyof typeof voiceMatchers];

export interface VoiceLibrary {
  /** The transcript's speakers, in the document's order, then the unassigned words. */
  speakers(transcriptId: string): { speakers: TranscriptSpeaker[]; diarizer: string | null };
  /** Keeps the speaker's print as a new voice named `name`, and renames the speaker to it. */
  remember(transcriptId: string, speakerId: string, name: string): VoiceRecord;
  /** The speaker is `voiceId`: links them and renames the speaker to the voice's name. */
  confirm(transcriptId: string, speakerId: string, voiceId: string): void;
  /** Deletes the voice and its print; names it gave stay. NOT_FOUND when there is none. */
  forget(voiceId: string): void;
  list(): VoiceRecord[];
}

/** Which diarizer measures prints of a kind (`neural:<embedding model id>` for the neural one). */
function diarizerOfPrint(kind: string): string {
  if (kind === FALLBACK_PRINT_KIND) return 'fallback';
  return kind.startsWith(NEURAL_PRINT_PREFIX) ? 'neural' : kind;
}

export function createVoiceLibrary(repos: Pick<Repositories, 'transcripts' | 'voices'>) {
  const transcript = (id: string): TranscriptRecord => {
    const found = repos.transcripts.get(id);
    if (!found) throw new EngineError('NOT_FOUND', `There is no transcript ${id}.`);
    return found;
  };
  const printOf = (transcriptId: string, speakerId: string) => {
    const doc = transcript(transcriptId).document;
    if (!doc.speakers.some((s) => s.id === speakerId)) {
      throw new EngineError('NOT_FOUND', `Transcript ${transcriptId} has no speaker ${speakerId}.`);
    }
    const print = repos.voices.prints(transcriptId).find((p) => p.speakerId === speakerId);
    if (!print) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `No voice print was kept for ${speakerId}: only speakers found automatically can be remembered. Transcribe with "find speakers automatically".`,
      );
    }
    return print;
  };
  /** Renames a speaker in the stored document (a new version; read and written at once). */
  const rename = (transcriptId: string, speakerId: string, name: string) => {
    const current = transcript(transcriptId);
    const doc = current.document;
    const speakers = doc.speakers.map((s) => (s.id === speakerId ? { ...s, name } : s));
    repos.transcripts.update(current.id, current.version, { ...doc, speakers });
  };

  const library: VoiceLibrary = {
    speakers(transcriptId) {
      const doc = transcript(transcriptId).document;
      const prints = new Map(repos.voices.prints(transcriptId).map((p) => [p.speakerId, p]));
      const voicesByKind = new Map<string, VoiceRecord[]>();
      const voicesOf = (kind: string) => {
        let list = voicesByKind.get(kind);
        if (!list) voicesByKind.set(kind, (list = repos.voices.listOfKind(kind)));
        return list;
      };
      const targets = Object.keys(doc.targetCounts);
      const runs = speakerRuns(doc);
      const speakers = speakerStats(doc).map((stats): TranscriptSpeaker => {
        const print = stats.id === null ? undefined : prints.get(stats.id);
        let suggestion: TranscriptSpeaker['suggestion'] = null;
        const matcher = print && !print.voiceId ? matcherFor(print.kind) : undefined;
        if (print && matcher) {
          for (const voice of voicesOf(print.kind)) {
            const distance = matcher.distance(print.print, voice.print);
            if (distance <= matcher.threshold && (!suggestion || distance < suggestion.distance)) {
              suggestion = { voiceId: voice.id, name: voice.name, distance };
            }
          }
        }
        if (suggestion) suggestion.distance = Math.round(suggestion.distance * 1000) / 1000;
        return {
          ...stats,
          targetCounts: targetCountsOf(runs.get(stats.id) ?? [], targets),
          voiceId: print?.voiceId ?? null,
          suggestion,
          canRemember: print !== undefined,
        };
      });
      // The job's own speaker option says how it was diarized; prints say by which diarizer.
      const mode = (doc.source.params.speakers as { mode?: string } | undefined)?.mode;
      const kind = [...prints.values()][0]?.kind;
      const diarizer = mode === 'channels' ? 'channels' : kind ? diarizerOfPrint(kind) : null;
      return { speakers, diarizer };
    },
    remember(transcriptId, speakerId, name) {
      const print = printOf(transcriptId, speakerId);
      const voice = repos.voices.insert({
        id: randomUUID(),
        name,
        kind: print.kind,
        print: print.print,
        createdAt: new Date().toISOString(),
      });
      repos.voices.link(transcriptId, speakerId, voice.id);
      rename(transcriptId, speakerId, name);
      return repos.voices.get(voice.id)!;
    },
    confirm(transcriptId, speakerId, voiceId) {
      const print = printOf(transcriptId, speakerId);
      const voice = repos.voices.get(voiceId);
      if (!voice) throw new EngineError('NOT_FOUND', `There is no voice ${voiceId}.`);
      if (voice.kind !== print.kind) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Voice "${voice.name}" was measured another way (${voice.kind}) than this speaker (${print.kind}), so they cannot be matched.`,
        );
      }
      repos.voices.link(transcriptId, speakerId, voiceId);
      rename(transcriptId, speakerId, voice.name);
    },
    forget(voiceId) {
      if (!repos.voices.delete(voiceId)) {
        throw new EngineError('NOT_FOUND', `There is no voice ${voiceId}.`);
      }
    },
    list: () => repos.voices.list(),
  };
  return library;
}

/** Each speaker's runs of consecutive words (texts), so phrases never span two speakers. */
function speakerRuns(doc: TranscriptDocument): Map<string | null, string[][]> {
  const runs = new Map<string | null, string[][]>();
  let previous: Word | undefined;
  for (const word of doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words))) {
    let list = runs.get(word.speaker);
    if (!list) runs.set(word.speaker, (list = []));
    if (previous?.speaker !== word.speaker || list.length === 0) list.push([]);
    list.at(-1)!.push(word.text);
    previous = word;
  }
  return runs;
}

function targetCountsOf(runs: string[][], targets: readonly string[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const target of targets) total[target] = 0;
  for (const run of runs) {
    for (const [target, count] of Object.entries(countTargetsInTexts(run, targets))) {
      total[target] = (total[target] ?? 0) + count;
    }
  }
  return total;
}
