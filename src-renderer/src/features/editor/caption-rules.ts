/**
 * Which captions break the document's caption rules, so the editor can mark them where they are.
 * The rules themselves are the engine's: `lintCaptions` from the shared caption code, so the
 * editor shows exactly what the engine's lint reports (same rules, same reading speed, same words).
 */
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { lintCaptions, type Violation } from '../../../../src-main/shared/captions/lint';

/** The violations of the document's own caption rules, by segment id, in document order. */
export function captionIssues(doc: TranscriptDocument): Map<string, Violation[]> {
  const issues = new Map<string, Violation[]>();
  for (const violation of lintCaptions(doc, doc.captions.rules)) {
    const found = issues.get(violation.segmentId);
    if (found) found.push(violation);
    else issues.set(violation.segmentId, [violation]);
  }
  return issues;
}
