import type { LiveEvent } from '../../../../src-main/contract/live';

/** The captions of one live session as the view shows them. */
export interface Captions {
  /** Committed text, never revised: one entry per paragraph (a new one after a pause). */
  paragraphs: string[];
  /** The tentative tail after the committed text ('' when there is none). */
  partial: string;
  /** Where the last committed words end, in ms of the session; null before the first. */
  lastEndMs: number | null;
}

export const emptyCaptions: Captions = { paragraphs: [], partial: '', lastEndMs: null };

/** A pause at least this long between committed words starts a new paragraph. */
export const paragraphPauseMs = 2000;
/** A paragraph this long takes no more words: a long talk without pauses is not one string. */
export const maxParagraphChars = 1200;
/**
 * Paragraphs kept on screen: a session of hours stays light. Everything is in the saved
 * transcript.
 */
export const maxParagraphs = 300;

/** The captions after one caption event; other events leave them as they are. */
export function applyCaptionEvent(captions: Captions, event: LiveEvent): Captions {
  if (event.type === 'partial') {
    return event.text === captions.partial ? captions : { ...captions, partial: event.text.trim() };
  }
  if (event.type !== 'final') return captions;
  const text = event.text.trim();
  if (!text) return captions;
  const { paragraphs, lastEndMs } = captions;
  const last = paragraphs.at(-1);
  const paused = lastEndMs !== null && event.startMs - lastEndMs >= paragraphPauseMs;
  const next =
    last === undefined || paused || last.length >= maxParagraphChars
      ? [...paragraphs, text]
      : [...paragraphs.slice(0, -1), `${last} ${text}`];
  return {
    ...captions,
    paragraphs: next.length > maxParagraphs ? next.slice(-maxParagraphs) : next,
    lastEndMs: event.endMs,
  };
}

/**
 * The end of the committed text, at most `maxChars` long and starting at a word: what a
 * two-line caption display needs (it shows the last lines that fit).
 */
export function committedTail(captions: Captions, maxChars: number): string {
  let text = '';
  for (let i = captions.paragraphs.length - 1; i >= 0 && text.length < maxChars; i--) {
    text = text ? `${captions.paragraphs[i]} ${text}` : captions.paragraphs[i]!;
  }
  if (text.length <= maxChars) return text;
  const from = text.length - maxChars;
  const cut = text.slice(from);
  if (text[from - 1] === ' ') return cut;
  // Drop the word the cut went through.
  const space = cut.indexOf(' ');
  return space === -1 ? cut : cut.slice(space + 1);
}
