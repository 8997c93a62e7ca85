/**
 * Diarization references and output in the NIST formats:
 *
 *   RTTM: SPEAKER <file> <channel> <start s> <duration s> <NA> <NA> <speaker> <NA> <NA>
 *   UEM:  <file> <channel> <start s> <end s>
 *
 * The line parsers (whitespace-separated fields, comments skipped, INVALID_ARGUMENT naming the
 * first bad line) are shared with the VAD scoring in quality/rttm.ts; this module groups their
 * output per file for diarization scoring and writes turns back as RTTM.
 */
import { EngineError } from '../errors';
import { parseRttm, parseUem, readText } from '../quality/rttm';
import { unionRegions, type TimeRegion } from '../quality/speech-score';
import type { SpeakerTurn } from './speaker-turns';

/** The reference of one file: its speaker turns and, with a UEM, the scored regions. */
export interface DiarizationReference {
  turns: SpeakerTurn[];
  /** The union of the file's UEM regions, or null when there is no UEM (all is scored). */
  scored: TimeRegion[] | null;
}

/** The SPEAKER turns of an RTTM text per file id (the second column), in file order. */
export function rttmTurnsByFile(text: string, source = 'RTTM'): Map<string, SpeakerTurn[]> {
  const byFile = new Map<string, SpeakerTurn[]>();
  for (const { file, start, end, speaker } of parseRttm(text, source)) {
    let turns = byFile.get(file);
    if (!turns) byFile.set(file, (turns = []));
    turns.push({ start, end, speaker });
  }
  return byFile;
}

/** The scored regions of a UEM text per file id, each the union of that file's lines. */
export function uemRegionsByFile(text: string, source = 'UEM'): Map<string, TimeRegion[]> {
  const byFile = new Map<string, TimeRegion[]>();
  for (const { file, start, end } of parseUem(text, source)) {
    let regions = byFile.get(file);
    if (!regions) byFile.set(file, (regions = []));
    regions.push({ start, end });
  }
  for (const [file, regions] of byFile) byFile.set(file, unionRegions(regions));
  return byFile;
}

/**
 * Reads an RTTM file and, optionally, a UEM file into one reference per RTTM file id. A file id
 * the UEM does not list gets `scored: []` (nothing of it is scored), as md-eval does.
 * Rejects with NOT_FOUND when a file cannot be read, INVALID_ARGUMENT for a malformed line.
 */
export async function readDiarizationReferences(
  rttmPath: string,
  uemPath?: string,
): Promise<Map<string, DiarizationReference>> {
  const turns = rttmTurnsByFile(await readText(rttmPath), rttmPath);
  const uem = uemPath === undefined ? null : uemRegionsByFile(await readText(uemPath), uemPath);
  const references = new Map<string, DiarizationReference>();
  for (const [file, fileTurns] of turns) {
    references.set(file, { turns: fileTurns, scored: uem ? (uem.get(file) ?? []) : null });
  }
  return references;
}

export interface FormatRttmOptions {
  /**
   * The channel column.
   * @default '1'
   */
  channel?: string;
}

/**
 * `turns` of `file` as RTTM text (one SPEAKER line each, times in seconds to the millisecond,
 * sorted by start then speaker, a final newline; empty text for no turns). Throws
 * INVALID_ARGUMENT for a file id or speaker that is empty or contains whitespace (RTTM fields
 * cannot hold it) and for a turn whose times are not finite or end before they start.
 */
export function formatRttm(
  file: string,
  turns: readonly SpeakerTurn[],
  options: FormatRttmOptions = {},
): string {
  const { channel = '1' } = options;
  checkField('file id', file);
  checkField('channel', channel);
  const lines = [...turns]
    .sort((a, b) => a.start - b.start || compareText(a.speaker, b.speaker))
    .map((turn) => {
      checkField('speaker', turn.speaker);
      if (!(Number.isFinite(turn.start) && Number.isFinite(turn.end) && turn.start >= 0)) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Cannot write a turn of "${turn.speaker}" to RTTM: its start and end must be finite seconds ≥ 0 (got ${turn.start}–${turn.end}).`,
          { details: { turn } },
        );
      }
      if (turn.end < turn.start) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Cannot write a turn of "${turn.speaker}" to RTTM: it ends (${turn.end} s) before it starts (${turn.start} s).`,
          { details: { turn } },
        );
      }
      const start = turn.start.toFixed(3);
      const duration = (turn.end - turn.start).toFixed(3);
      return `SPEAKER ${file} ${channel} ${start} ${duration} <NA> <NA> ${turn.speaker} <NA> <NA>`;
    });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function checkField(what: string, value: string): void {
  if (value === '' || /\s/u.test(value)) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Cannot write RTTM: the ${what} "${value}" must be non-empty and contain no whitespace; rename it first.`,
      { details: { [what]: value } },
    );
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
