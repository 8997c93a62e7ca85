/** Parses SRT and WebVTT as ffmpeg writes them, for round-trip tests. */

export interface ParsedCue {
  start: number;
  end: number;
  lines: string[];
}

/** Milliseconds of `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm`. */
function parseTime(text: string): number {
  const match = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/.exec(text.trim());
  if (!match) throw new Error(`bad timestamp ${text}`);
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}

/** Cues of an SRT or WebVTT file: every block with a `-->` timing line. CR is ignored. */
export function parseCues(text: string): ParsedCue[] {
  const blocks = text.replace(/\r/g, '').split(/\n{2,}/);
  const cues: ParsedCue[] = [];
  for (const block of blocks) {
    const lines = block.split('\n').filter((line) => line !== '');
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing < 0) continue;
    const [start = '', end = ''] = (lines[timing] ?? '').split('-->');
    cues.push({
      start: parseTime(start),
      end: parseTime(end.trim().split(/\s+/)[0] ?? ''),
      lines: lines.slice(timing + 1),
    });
  }
  return cues;
}
