/** Property checks: corrections keep documents valid and undo restores them, in any order. */
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../documents/build-document';
import { validateDocument } from '../documents/validate';
import { randomResult, seededRandom } from '../documents/__fixtures__/random-result';
import { options } from '../documents/__fixtures__/whisper-result';
import { applyCorrections, undoCorrection } from './corrections';
import type { GlossaryInput } from '../../contract/glossary';
import { countTargets } from './target-counts';

const glossary: GlossaryInput = {
  terms: [
    { term: 'Americans', soundsLike: ['ameri cans', 'amerieans'] },
    { term: 'Café', soundsLike: ['cafe'] },
  ],
  rules: [
    { match: 'thank you', replace: 'Thank You' },
    { match: 'fellow', replace: 'fellows', mode: 'exact' },
    { match: 'so', replace: 'SO', mode: 'case-insensitive' },
    { match: '/(co)unt/i', replace: '$1unt!', mode: 'regex' },
    { match: 'naïve', replace: 'naive' },
  ],
  targets: ['thank you', 'you', 'café', 'こん'],
};

describe('applyCorrections (property)', () => {
  it('keeps random documents valid, and undoing every correction in any order restores them', () => {
    const rng = seededRandom(2024);
    const problems: string[] = [];
    let made = 0;
    for (let run = 0; run < 200; run++) {
      const { result, durationMs } = randomResult(rng, {
        times: 'messy',
        splitCharacters: true,
        messySegments: true,
      });
      const original = buildDocument(result, { ...options, durationMs });
      const { doc, corrections } = applyCorrections(original, glossary);
      made += corrections.length;
      try {
        validateDocument(doc);
      } catch (error) {
        problems.push(`run ${run}: ${(error as Error).message}`);
        continue;
      }
      let undone = doc;
      while (undone.corrections.length > 0) {
        undone = undoCorrection(undone, Math.floor(rng() * undone.corrections.length));
      }
      if (JSON.stringify(undone) !== JSON.stringify(original))
        problems.push(`run ${run}: undo differs`);
      const counts = countTargets(doc, glossary.targets ?? []);
      if (Object.values(counts).some((n) => !Number.isInteger(n) || n < 0)) {
        problems.push(`run ${run}: bad counts ${JSON.stringify(counts)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(made).toBeGreaterThan(100);
  });
});
