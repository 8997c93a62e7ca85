/**
 * Applies an edit to the open document as one undoable step, reporting a refused edit (e.g.
 * splitting before the first word) as a non-blocking toast instead of throwing into React.
 */
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { toastError } from '../../app/toasts';
import type { DocumentStore } from './document-store';

export function applyEdit(
  store: DocumentStore,
  label: string,
  edit: (doc: TranscriptDocument) => TranscriptDocument,
): boolean {
  try {
    return store.getState().apply(label, edit);
  } catch (error) {
    toastError(error);
    return false;
  }
}
