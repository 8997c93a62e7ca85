/**
 * Which captions break the document's caption rules, so the editor can mark them where they are.
 * The rules themselves are the engine's: `captionViolations` from the shared caption lint, so the
 * editor shows exactly what the engine's `lintCaptions` reports (same rules, same reading speed,
 * same words). Each caption's result is kept while the caption, its place and the caption before
 * it stay the same objects, so an edit re-checks only the captions it touched.
 */
import type {
  CaptionRules,
  Segment,
  TranscriptDocument,
} from '../../../../src-main/contract/document';
import { captionViolations, type Violation } from '../../../../src-main/common/captions/lint';

interface Checked {
  index: number;
  previous: Segment | undefined;
  rules: CaptionRules;
  violations: Violation[];
}

const checked = new WeakMap<Segment, Checked>();

function violationsOf(
  segment: Segment,
  index: number,
  previous: Segment | undefined,
  rules: CaptionRules,
): Violation[] {
  const kept = checked.get(segment);
  if (kept && kept.index === index && kept.previous === previous && kept.rules === rules) {
    return kept.violations;
  }
  const violations = captionViolations(segment, index, previous, rules);
  checked.set(segment, { index, previous, rules, violations });
  return violations;
}

/** The violations of the document's own caption rules, by segment id, in document order. */
export function captionIssues(doc: TranscriptDocument): Map<string, Violation[]> {
  const rules = doc.captions.rules;
  const issues = new Map<string, Violation[]>();
  doc.segments.forEach((segment, index) => {
    const found = violationsOf(segment, index, doc.segments[index - 1], rules);
    if (found.length > 0) issues.set(segment.id, found);
  });
  return issues;
}
