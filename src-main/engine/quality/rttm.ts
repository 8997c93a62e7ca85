/**
 * Readers for the NIST RTTM (speaker turns) and UEM (scored regions) files that diarization
 * datasets ship, used as a ground truth for voice-activity detection.
 *
 *   RTTM: SPEAKER <file> <channel> <start s> <duration s> <NA> <NA> <speaker> <NA> <NA>
 *   UEM:  <file> <channel> <start s> <end s>
 *
 * Fields are separated by any whitespace; blank lines and lines starting with ";;" or "#" are
 * skipped; RTTM lines of other types (SPKR-INFO, LEXEME, …) are ignored. Speech is the union of
 * every speaker's turns, so overlapped speech counts once.
 */
import { readFile } from 'node:fs/promises';
import { EngineError } from '../errors';
import { intersectRegions, unionRegions, type TimeRegion } from './speech-score';

export interface RttmTurn {
  file: string;
  channel: string;
  start: number;
  end: number;
  speaker: string;
}

export interface UemRegion {
  file: string;
  channel: string;
  start: number;
  end: number;
}

export interface ReferenceSpeech {
  /** Speech of the file: the union of its speakers' turns, inside `scored` when a UEM was given. */
  speech: TimeRegion[];
  /** The UEM's scored regions of the file, or null without a UEM (everything is scored). */
  scored: TimeRegion[] | null;
  /** Distinct speakers of the file. */
  speakers: string[];
}

/** The SPEAKER turns of an RTTM text. Throws INVALID_ARGUMENT naming the first bad line. */
export function parseRttm(text: string, source = 'RTTM'): RttmTurn[] {
  const turns: RttmTurn[] = [];
  for (const [lineNo, fields] of dataLines(text)) {
    if (fields[0] !== 'SPEAKER') continue;
    const [, file, channel, startText, durationText, , , speaker] = fields;
    const start = Number(startText);
    const duration = Number(durationText);
    if (
      !file ||
      !channel ||
      !speaker ||
      !Number.isFinite(start) ||
      !Number.isFinite(duration) ||
      start < 0 ||
      duration < 0
    ) {
      throw badLine(
        source,
        lineNo,
        'SPEAKER <file> <channel> <start> <duration> <NA> <NA> <speaker>',
      );
    }
    turns.push({ file, channel, start, end: start + duration, speaker });
  }
  return turns;
}

/** The regions of a UEM text. Throws INVALID_ARGUMENT naming the first bad line. */
export function parseUem(text: string, source = 'UEM'): UemRegion[] {
  const regions: UemRegion[] = [];
  for (const [lineNo, fields] of dataLines(text)) {
    const [file, channel, startText, endText] = fields;
    const start = Number(startText);
    const end = Number(endText);
    if (!file || !channel || !Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      throw badLine(source, lineNo, '<file> <channel> <start> <end>');
    }
    regions.push({ file, channel, start, end });
  }
  return regions;
}

/**
 * The reference speech of `file` (the RTTM file-id column) from an RTTM file and, optionally, a
 * UEM file restricting it to the scored regions. Throws NOT_FOUND when the RTTM has no turn for
 * that file or the UEM no region for it.
 */
export async function readReferenceSpeech(
  rttmPath: string,
  file: string,
  uemPath?: string,
): Promise<ReferenceSpeech> {
  const turns = parseRttm(await readText(rttmPath), rttmPath).filter((t) => t.file === file);
  if (turns.length === 0) {
    throw new EngineError('NOT_FOUND', `${rttmPath} has no speaker turns for "${file}".`, {
      details: { path: rttmPath, file },
    });
  }
  let speech = unionRegions(turns);
  let scored: TimeRegion[] | null = null;
  if (uemPath !== undefined) {
    const regions = parseUem(await readText(uemPath), uemPath).filter((r) => r.file === file);
    if (regions.length === 0) {
      throw new EngineError('NOT_FOUND', `${uemPath} has no scored region for "${file}".`, {
        details: { path: uemPath, file },
      });
    }
    scored = unionRegions(regions);
    speech = intersectRegions(speech, scored);
  }
  const speakers = [...new Set(turns.map((t) => t.speaker))].sort();
  return { speech, scored, speakers };
}

function* dataLines(text: string): Generator<[number, string[]]> {
  const lines = text.split(/\r?\n/u);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith(';;') || line.startsWith('#')) continue;
    yield [i + 1, line.split(/\s+/u)];
  }
}

function badLine(source: string, lineNo: number, expected: string): EngineError {
  return new EngineError('INVALID_ARGUMENT', `${source} line ${lineNo} is not "${expected}".`, {
    details: { source, line: lineNo },
  });
}

/** A reference file's text; NOT_FOUND with the path when it cannot be read. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new EngineError('NOT_FOUND', `Cannot read ${path}: ${(error as Error).message}.`, {
      cause: error,
      details: { path },
    });
  }
}
