import { create } from 'zustand';
import type { SessionInfo } from '../../../src-main/contract/session';
import {
  ApiError,
  apiToken,
  currentSession,
  endSession,
  exchangeToken,
  onUnauthorized,
  takeTokenFromUrl,
} from '../api/client';

/** Why the sign-in screen shows. */
export type SignedOutReason =
  /** This browser never signed in (a bookmarked bare URL). */
  | 'none'
  /** Signed out on this tab. */
  | 'signed-out'
  /** Signed out on another tab, expired, or its token was revoked. */
  | 'ended'
  /** The engine went away and came back without accepting this session. */
  | 'restarted'
  /** The link in the address bar was refused (from an earlier run, or cut short). */
  | 'link-refused'
  /** The engine accepted the token but the browser did not keep the cookie. */
  | 'no-cookie';

export type SessionStatus =
  | { state: 'checking' }
  /** The engine did not answer the first check; it is retried. */
  | { state: 'unreachable' }
  | { state: 'signed-in'; info: SessionInfo }
  | { state: 'signed-out'; reason: SignedOutReason };

export const useSession = create<{ status: SessionStatus }>()(() => ({
  // `typeof window`: node-environment unit tests import modules that import this one.
  status:
    typeof window !== 'undefined' && window.studio?.apiToken
      ? // The desktop app: the preload's token, sent as a bearer header, is the session.
        { state: 'signed-in', info: { via: 'bearer', scopes: ['admin'], expiresAt: null } }
      : { state: 'checking' },
}));

const set = (status: SessionStatus) => useSession.setState({ status });

/**
 * Set while the engine has been away (socket closed, requests unanswered) since it last worked:
 * a refusal after that means the studio restarted without this browser's session.
 */
let engineWentAway = false;
export const noteEngineAway = (): void => void (engineWentAway = true);
export const noteEngineBack = (): void => void (engineWentAway = false);

/** The text a failed sign-in shows, by what the engine answered. */
export function signInErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return 'That token is not valid (or was revoked). Copy the whole link from the line "Open the studio: …" that serve printed when it last started.';
    }
    if (error.status === 0) {
      return 'The studio engine is not answering. Is serve still running in its terminal?';
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Signs this browser in with `token` and checks the browser kept the session cookie. Rejects
 * (with an ApiError) when the engine refuses the token; the caller shows `signInErrorText`.
 */
export async function signInWith(token: string): Promise<void> {
  await exchangeToken(token);
  const info = await currentSession();
  if (!info) {
    set({ state: 'signed-out', reason: 'no-cookie' });
    return;
  }
  noteEngineBack();
  set({ state: 'signed-in', info });
}

/** Asks the engine how this browser is signed in, retrying while it is away. */
async function check(reasonIfNot: SignedOutReason): Promise<void> {
  try {
    const info = await currentSession();
    set(info ? { state: 'signed-in', info } : { state: 'signed-out', reason: reasonIfNot });
  } catch {
    set({ state: 'unreachable' });
    setTimeout(() => void check(reasonIfNot), 2000);
  }
}

/** A token in the address bar signs in; a refused one falls back to the cookie, if still good. */
async function adoptLink(token: string): Promise<void> {
  try {
    await signInWith(token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) {
      set({ state: 'unreachable' });
      setTimeout(() => void adoptLink(token), 2000);
      return;
    }
    await check('link-refused');
  }
}

let started = false;

/**
 * Once per page: takes a token from the address bar (`#token=…`) and signs in with it, else
 * asks whether the browser's session cookie is good; from then on, a link opened in this tab
 * (`hashchange`) signs in, and a 401 from any API call shows the sign-in screen.
 */
export function startSession(): void {
  if (started) return;
  started = true;
  window.addEventListener('hashchange', () => {
    const token = takeTokenFromUrl();
    if (token) void adoptLink(token);
  });
  onUnauthorized(() => {
    if (apiToken()) return;
    if (useSession.getState().status.state !== 'signed-in') return;
    set({ state: 'signed-out', reason: engineWentAway ? 'restarted' : 'ended' });
  });
  if (apiToken()) return;
  const token = takeTokenFromUrl();
  void (token ? adoptLink(token) : check('none'));
}

/** Signs this browser out (every tab); the sign-in screen follows. */
export async function signOut(): Promise<void> {
  await endSession();
  set({ state: 'signed-out', reason: 'signed-out' });
}
