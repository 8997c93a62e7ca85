/**
 * The last, CPU-heavy part of every transcription: Whisper's segments become the document, the
 * speakers found are put on its words, and it goes through the finish — quality guards,
 * glossary, caption wrap. Pure (no I/O), so that it can run in the document worker thread: for a
 * 3-hour transcript these steps take several hundred milliseconds, which the engine's event loop
 * must not be held for.
 */
import type { CaptionRules, TranscriptDocument } from '../../contract/document';
import type { TranscribeParams } from '../../contract/jobs';
import type { TimeRange } from '../../contract/time-range';
import { wrapDocument } from '../../common/captions/wrap';
import type { SpeakerTurn } from '../diarization/speaker-turns';
import { applyCorrectionsInSlices } from '../glossary/corrections';
import { withTargetCounts } from '../glossary/target-counts';
import { labelWords } from '../speakers/assign-speakers';
import type { WhisperSegment } from '../whisper/addon';
import { buildDocument, emptyDocument, type DocumentSourceOptions } from './build-document';
import { applyQualityGuards } from './quality-guards';

/** What the finish needs of the transcription's settings. */
export type FinishParams = Pick<TranscribeParams, 'lowConfidence' | 'glossary' | 'preset'>;

/** The document for Whisper segments (an empty one, with its note, when there are none). */
export function documentFromSegments(
  segments: WhisperSegment[],
  language: string | null,
  source: DocumentSourceOptions & { idPrefix?: string },
): TranscriptDocument {
  if (segments.length === 0) return emptyDocument({ ...source, language });
  return buildDocument(
    {
      segments,
      language,
      languageProbability: null,
      speechMs: 0,
      timings: { stateMs: 0, vadMs: 0, languageMs: 0, whisperMs: 0 },
    },
    source,
  );
}

/** Quality guards, glossary (in slices: the event loop runs between them) and caption wrap. */
export async function finishDocument(
  doc: TranscriptDocument,
  params: FinishParams,
  rules: CaptionRules,
  speech: readonly TimeRange[] | null,
): Promise<TranscriptDocument> {
  let out = applyQualityGuards(doc, {
    lowConfidence: params.lowConfidence,
    ...(speech ? { silence: { speech: [...speech] } } : {}),
  }).doc;
  if (params.glossary) {
    out = (await applyCorrectionsInSlices(out, params.glossary)).doc;
    out = withTargetCounts(out, params.glossary.targets);
  }
  return wrapDocument(out, rules, { preset: params.preset });
}

export interface AssembleInput {
  /** Whisper's segments to build the document from, or a document already built (refined). */
  from:
    | {
        segments: WhisperSegment[];
        language: string | null;
        source: DocumentSourceOptions;
      }
    | { doc: TranscriptDocument };
  /** The speakers found, or null when none were looked for. */
  speakers: {
    turns: SpeakerTurn[];
    /** Speakers found one per channel are named after it (Left, Right); null otherwise. */
    channels: number | null;
    /** Kept in the document's notes. */
    note: string | null;
  } | null;
  finish: { params: FinishParams; rules: CaptionRules; speech: TimeRange[] | null };
}

export interface AssembledDocument {
  doc: TranscriptDocument;
  /** Which document speaker each diarizer label became: [label, speaker id]. */
  speakerIds: [string, string][];
}

/** Names speakers found one per channel after it: Left and Right in stereo. */
function nameChannels(
  doc: TranscriptDocument,
  speakerIds: ReadonlyMap<string, string>,
  channels: number,
): TranscriptDocument {
  const names = new Map(
    [...speakerIds].map(([label, id]) => {
      const channel = Number(label.slice(label.lastIndexOf('-') + 1));
      const name = channels === 2 ? (channel === 1 ? 'Left' : 'Right') : `Channel ${channel}`;
      return [id, name];
    }),
  );
  return { ...doc, speakers: doc.speakers.map((s) => ({ ...s, name: names.get(s.id) ?? s.name })) };
}

export async function assembleDocument(input: AssembleInput): Promise<AssembledDocument> {
  const { from, speakers, finish } = input;
  let doc =
    'doc' in from ? from.doc : documentFromSegments(from.segments, from.language, from.source);
  let speakerIds = new Map<string, string>();
  if (speakers) {
    const labelled = labelWords(doc, speakers.turns);
    speakerIds = labelled.speakerIds;
    doc =
      speakers.channels === null
        ? labelled.doc
        : nameChannels(labelled.doc, speakerIds, speakers.channels);
    if (speakers.note) doc = { ...doc, notes: [...doc.notes, speakers.note] };
  }
  // The finish re-wraps the captions, splitting them at speaker changes.
  doc = await finishDocument(doc, finish.params, finish.rules, finish.speech);
  return { doc, speakerIds: [...speakerIds] };
}
