/**
 * Lays the words of one caption out in lines.
 *
 * Policy:
 * - A caption uses as few lines as its text needs: text that fits on one line stays on one line.
 * - A line holds at most `maxCharsPerLine` characters, except that a single word longer than that
 *   gets a line of its own (words are never split; lint reports the overlong line).
 * - Among the layouts with that many lines, the cheapest wins: lines of even length (the squared
 *   difference from the mean, so a long first line over a one-word second line is expensive),
 *   breaks after sentence and clause punctuation and at pauses (`break-scores.ts`).
 * - When two layouts are otherwise equal, the bottom-heavy one wins (shorter line on top, the
 *   "pyramid" preferred by the Netflix and BBC guidelines): every character on an earlier line
 *   costs a little more than one on a later line. This is a tie-breaker only; a better break or
 *   better balance always outweighs it.
 */
import { spanLength, type MeasuredWords } from './measure';

export const layoutWeights = {
  /** Cost per line of ((line length − mean) / maxCharsPerLine)². */
  balance: 20,
  /** Cost per character per line below it (bottom-heavy tie-breaker). */
  topHeavy: 0.02,
} as const;

export interface LineLayout {
  /** Index (into the measured words) of the first word of each line. */
  starts: number[];
  cost: number;
}

/** Whether words `a..b-1` may form one line. */
export function fitsLine(m: MeasuredWords, a: number, b: number, maxChars: number): boolean {
  return b - a === 1 || spanLength(m, a, b) <= maxChars;
}

/**
 * The fewest lines words `a..b-1` need, filling each line before starting the next (optimal for
 * this problem: a line never becomes valid again by adding words).
 */
export function linesNeeded(m: MeasuredWords, a: number, b: number, maxChars: number): number {
  let lines = 0;
  let lineStart = a;
  for (let k = a; k < b; k++) {
    if (k === lineStart) {
      lines++;
    } else if (!fitsLine(m, lineStart, k + 1, maxChars)) {
      lines++;
      lineStart = k;
    }
  }
  return lines;
}

/**
 * The best layout of words `a..b-1` in exactly `lineCount` lines, or undefined when there is
 * none. Dynamic programming over line ends: O(n) for two lines, O(n² · lines) in general.
 */
export function layoutLines(
  m: MeasuredWords,
  a: number,
  b: number,
  lineCount: number,
  maxChars: number,
): LineLayout | undefined {
  if (lineCount === 1) return fitsLine(m, a, b, maxChars) ? { starts: [a], cost: 0 } : undefined;
  const total = Math.min(spanLength(m, a, b) - (lineCount - 1), lineCount * maxChars);
  const mean = total / lineCount;
  const lineCost = (from: number, to: number, lineIndex: number): number => {
    const length = Math.min(spanLength(m, from, to), maxChars);
    const balance = layoutWeights.balance * ((length - mean) / maxChars) ** 2;
    return balance + layoutWeights.topHeavy * length * (lineCount - 1 - lineIndex);
  };
  // best[l][k - a]: cheapest way to put words a..k-1 on l + 1 lines; from[l][k - a]: its last
  // line's first word.
  const best: number[][] = [];
  const from: number[][] = [];
  for (let l = 0; l < lineCount; l++) {
    const row = new Array<number>(b - a + 1).fill(Infinity);
    const back = new Array<number>(b - a + 1).fill(-1);
    // The last level only needs the full span.
    const ends = l === lineCount - 1 ? [b] : range(a + l + 1, b - (lineCount - 1 - l));
    for (const k of ends) {
      if (l === 0) {
        if (fitsLine(m, a, k, maxChars)) row[k - a] = lineCost(a, k, 0);
        continue;
      }
      const previous = best[l - 1] ?? [];
      for (let s = k - 1; s > a && fitsLine(m, s, k, maxChars); s--) {
        const before = previous[s - a] ?? Infinity;
        if (before === Infinity) continue;
        const cost = before - (m.lineScores[s - 1] ?? 0) + lineCost(s, k, l);
        if (cost < (row[k - a] ?? Infinity)) {
          row[k - a] = cost;
          back[k - a] = s;
        }
      }
    }
    best.push(row);
    from.push(back);
  }
  const cost = best[lineCount - 1]?.[b - a] ?? Infinity;
  if (cost === Infinity) return undefined;
  const starts: number[] = [];
  let end = b;
  for (let l = lineCount - 1; l > 0; l--) {
    const start = from[l]?.[end - a] ?? -1;
    starts.unshift(start);
    end = start;
  }
  starts.unshift(a);
  return { starts, cost };
}

function range(from: number, toInclusive: number): number[] {
  const values: number[] = [];
  for (let k = from; k <= toInclusive; k++) values.push(k);
  return values;
}
