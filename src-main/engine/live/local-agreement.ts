/**
 * The live-caption stabiliser: LocalAgreement-2 (Macháček et al., "Turning Whisper into Real-Time
 * Transcription System", 2023) as pure functions over an immutable state. Each decode of the
 * unconfirmed audio yields a hypothesis; the words on which two consecutive hypotheses agree
 * (their longest common prefix) are committed and never change again. The rest is the tentative
 * tail. The caller trims its audio buffer to `keepFromMs` and prompts the decoder with `prompt`.
 *
 * Noise (or a synthetic model) may never agree twice: once the unconfirmed audio is longer than
 * `maxUnconfirmedMs`, the latest hypothesis is committed up to shortly before its end, so memory
 * stays bounded and finals keep coming.
 */

/** A decoded word in session time (ms from the first sample). */
export interface TimedWord {
  text: string;
  startMs: number;
  endMs: number;
  /** Probability, 0..1. */
  p: number;
}

export interface AgreementOptions {
  /**
   * Unconfirmed audio beyond this is force-committed.
   * @default 15000
   */
  maxUnconfirmedMs?: number;
  /**
   * A forced commit leaves the words ending in this last stretch of the audio tentative (they may
   * be cut off mid-word).
   * @default 1000
   */
  forceTailMs?: number;
  /**
   * Audio kept before the commit point when the caller trims its buffer, so the decoder hears the
   * start of the next word in context. Re-decoded committed words are recognised and dropped.
   * @default 500
   */
  leftContextMs?: number;
  /**
   * Characters of committed text given to the decoder as its prompt.
   * @default 200
   */
  promptChars?: number;
}

export interface AgreementState {
  /** Everything before this audio time is committed. */
  readonly committedUntilMs: number;
  /** The last few committed words, to recognise them when the left context is decoded again. */
  readonly recent: readonly string[];
  /** The tail of the committed text, for the decoder's prompt. */
  readonly prompt: string;
  /** The previous hypothesis after the commit point: the words awaiting agreement. */
  readonly pending: readonly TimedWord[];
}

export interface AgreementStep {
  state: AgreementState;
  /** Newly committed words, after every earlier committed word. */
  committed: TimedWord[];
  /** The unstable tail, after `committed`. */
  tentative: TimedWord[];
  /** The caller may drop audio before this time. */
  keepFromMs: number;
}

export const agreementDefaults: Readonly<Required<AgreementOptions>> = {
  maxUnconfirmedMs: 15_000,
  forceTailMs: 1000,
  leftContextMs: 500,
  promptChars: 200,
};

/** Re-decoded context words are looked for among this many of the last committed words. */
const maxOverlapWords = 5;

export const initialAgreement: AgreementState = Object.freeze({
  committedUntilMs: 0,
  recent: [],
  prompt: '',
  pending: [],
});

/** Words compare by their letters and digits, so "you" and "you," agree. */
export function wordKey(text: string): string {
  const key = text.toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return key === '' ? text.trim() : key;
}

/**
 * Folds one hypothesis (the decode of the audio from the buffer start to `audioEndMs`, in session
 * time) into the state: commits what agrees with the previous hypothesis (or is forced out by the
 * length limit) and returns the new tentative tail.
 */
export function agree(
  state: AgreementState,
  hypothesis: readonly TimedWord[],
  audioEndMs: number,
  options: AgreementOptions = {},
): AgreementStep {
  const o = { ...agreementDefaults, ...options };
  const fresh = afterCommitPoint(state, hypothesis, audioEndMs);

  let agreed = 0;
  while (
    agreed < fresh.length &&
    agreed < state.pending.length &&
    wordKey(fresh[agreed]!.text) === wordKey(state.pending[agreed]!.text)
  ) {
    agreed++;
  }
  let committed = fresh.slice(0, agreed);
  let tentative = fresh.slice(agreed);
  let until = committed.at(-1)?.endMs ?? state.committedUntilMs;

  if (audioEndMs - until > o.maxUnconfirmedMs) {
    const cutMs = audioEndMs - o.forceTailMs;
    let forced = tentative.filter((word) => word.endMs <= cutMs).length;
    // A word that runs over the cut is forced too when it would otherwise block all progress.
    if (forced === 0 && tentative.length > 0 && tentative[0]!.startMs <= until) forced = 1;
    committed = committed.concat(tentative.slice(0, forced));
    tentative = tentative.slice(forced);
    const lastEnd = committed.at(-1)?.endMs ?? until;
    // Silence (no words) or words ending early: move on to the cut, but never past a kept word.
    until = Math.max(lastEnd, Math.min(cutMs, tentative[0]?.startMs ?? cutMs));
  }

  return {
    state: commitState(state, committed, tentative, until, o.promptChars),
    committed,
    tentative,
    keepFromMs: Math.max(0, until - o.leftContextMs),
  };
}

/**
 * A hypothesis of audio known to end with the speech in it (the end of the stream, or a pause
 * the VAD heard): its words are final at once, without waiting for a second hypothesis.
 */
export function agreeAndFlush(
  state: AgreementState,
  hypothesis: readonly TimedWord[],
  audioEndMs: number,
  options: AgreementOptions = {},
): AgreementStep {
  const agreed = agree(state, hypothesis, audioEndMs, options);
  const rest = flushAgreement(agreed.state, audioEndMs, options);
  return { ...rest, committed: [...agreed.committed, ...rest.committed] };
}

/**
 * No speech up to `untilMs` (the VAD heard none): the pending words were decoded from noise or
 * silence, so they are dropped, and the commit point moves on without keeping any left context.
 */
export function skipSilence(state: AgreementState, untilMs: number): AgreementStep {
  const until = Math.max(state.committedUntilMs, untilMs);
  return {
    state: { ...state, committedUntilMs: until, pending: [] },
    committed: [],
    tentative: [],
    keepFromMs: until,
  };
}

/**
 * The end of the stream: commits the tentative tail of the last hypothesis. Pass the audio's end
 * so that trailing silence counts as committed too.
 */
export function flushAgreement(
  state: AgreementState,
  audioEndMs: number,
  options: AgreementOptions = {},
): AgreementStep {
  const o = { ...agreementDefaults, ...options };
  const committed = [...state.pending];
  const until = Math.max(state.committedUntilMs, committed.at(-1)?.endMs ?? 0, audioEndMs);
  return {
    state: commitState(state, committed, [], until, o.promptChars),
    committed,
    tentative: [],
    keepFromMs: Math.max(0, until - o.leftContextMs),
  };
}

/**
 * The hypothesis words that lie after the commit point, with times made monotonic and kept
 * inside [commit point, audio end]. Committed words decoded again from the left context are
 * dropped: by time (their middle lies before the commit point) and, for words whose times
 * straddle it, by matching the last committed words (an n-gram of up to five words).
 */
function afterCommitPoint(
  state: AgreementState,
  hypothesis: readonly TimedWord[],
  audioEndMs: number,
): TimedWord[] {
  const from = state.committedUntilMs;
  const later = hypothesis.filter(
    (word) => word.text.trim() !== '' && (word.startMs + word.endMs) / 2 >= from,
  );
  const first = later[0];
  if (first && first.startMs - from < 1000) {
    const most = Math.min(maxOverlapWords, state.recent.length, later.length);
    for (let n = most; n > 0; n--) {
      const tail = state.recent.slice(-n);
      if (later.slice(0, n).every((word, i) => wordKey(word.text) === tail[i])) {
        later.splice(0, n);
        break;
      }
    }
  }
  const out: TimedWord[] = [];
  let floor = from;
  for (const word of later) {
    const startMs = Math.round(Math.min(Math.max(word.startMs, floor), audioEndMs));
    const endMs = Math.round(Math.min(Math.max(word.endMs, startMs), audioEndMs));
    out.push({ text: word.text.trim(), startMs, endMs, p: Math.min(1, Math.max(0, word.p)) });
    floor = startMs;
  }
  return out;
}

function commitState(
  state: AgreementState,
  committed: readonly TimedWord[],
  pending: readonly TimedWord[],
  committedUntilMs: number,
  promptChars: number,
): AgreementState {
  if (committed.length === 0 && committedUntilMs === state.committedUntilMs) {
    return { ...state, pending };
  }
  const text = [state.prompt, ...committed.map((word) => word.text)].filter(Boolean).join(' ');
  let prompt = text;
  if (text.length > promptChars) {
    const cut = text.slice(-promptChars);
    // Start at a word boundary unless the window holds one single long word.
    const space = cut.indexOf(' ');
    prompt = space >= 0 ? cut.slice(space + 1) : cut;
  }
  return {
    committedUntilMs: Math.max(state.committedUntilMs, committedUntilMs),
    recent: [...state.recent, ...committed.map((word) => wordKey(word.text))].slice(
      -maxOverlapWords,
    ),
    prompt,
    pending,
  };
}
