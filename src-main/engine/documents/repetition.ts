/**
 * Decoding loops: Whisper sometimes repeats a word or phrase over and over ("thank you thank you
 * thank you …"), often one short segment after another. A loop is an n-gram (n = 1..ngramMax)
 * repeated back to back more than `maxRepeats` times; everything past the first `maxRepeats`
 * copies is the extra. Words compare by their text in lower case without punctuation, across
 * segment boundaries.
 */

/** The comparable form of a word: lower case, punctuation removed (the text itself if none is left). */
export function repetitionKey(text: string): string {
  const key = text.toLowerCase().replace(/\p{P}+/gu, '');
  return key === '' ? text : key;
}

/**
 * Indexes into `keys` of the extra repeats of every loop, ascending. At each position the n-gram
 * whose back-to-back run covers the most words wins (the shortest on a tie); the scan then
 * continues after the run.
 */
export function findExtraRepeats(
  keys: readonly string[],
  ngramMax: number,
  maxRepeats: number,
): number[] {
  const extra: number[] = [];
  for (let i = 0; i < keys.length;) {
    let best = { size: 0, repeats: 0 };
    for (let size = 1; size <= ngramMax && i + size * (maxRepeats + 1) <= keys.length; size++) {
      let repeats = 1;
      while (
        i + (repeats + 1) * size <= keys.length &&
        sameRun(keys, i, i + repeats * size, size)
      ) {
        repeats++;
      }
      if (repeats > maxRepeats && repeats * size > best.size * best.repeats) {
        best = { size, repeats };
      }
    }
    if (best.repeats === 0) {
      i++;
      continue;
    }
    const end = i + best.size * best.repeats;
    for (let k = i + best.size * maxRepeats; k < end; k++) extra.push(k);
    i = end;
  }
  return extra;
}

function sameRun(keys: readonly string[], a: number, b: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (keys[a + k] !== keys[b + k]) return false;
  return true;
}
