import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { tokenFromText } from '../api/client';
import { signInErrorText, signInWith, type SignedOutReason } from './session';
import './session.css';

/** What the screen says first, by why it shows. */
const reasonText: Record<SignedOutReason, string | null> = {
  none: null,
  'signed-out': 'You signed out. Every tab of this browser is signed out too.',
  ended:
    "This browser's session ended: it was signed out in another tab, it expired, or the token it was opened with was revoked.",
  restarted:
    "The studio restarted and no longer accepts this browser's session (its sign-in key changed, or it now uses another data folder). Sign in again with the link it printed when it started.",
  'link-refused':
    'The link this page was opened with was not accepted: it is from an earlier run of serve, or it was cut short.',
  'no-cookie':
    'The studio accepted the token, but this browser did not keep the session cookie. Allow cookies for this address and sign in again.',
};

/**
 * Shown to a browser that is not signed in: where the sign-in link comes from, and a field that
 * takes the link (or the token alone).
 */
export function SignIn({ reason }: { reason: SignedOutReason }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const origin = window.location.origin;

  useEffect(() => {
    document.title = 'Sign in — Transcription Studio';
    return () => void (document.title = 'Transcription Studio');
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const token = tokenFromText(text);
    if (!token) {
      setError(
        'Paste the whole link from the line "Open the studio: …" (or the token in it, which starts with sts_).',
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signInWith(token);
      // Whatever was fetched before (refused, or from before a restart) is fetched again.
      void queryClient.invalidateQueries();
    } catch (failure) {
      setError(signInErrorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const notice = error ?? reasonText[reason];
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <h1>Sign in to Transcription Studio</h1>
        {notice && (
          <p role="alert" className={error ? 'alert' : 'hint'}>
            {notice}
          </p>
        )}
        <p>
          When <code>serve</code> starts, the terminal running it prints the link to open, on a line
          like this:
        </p>
        <pre className="sign-in-example">Open the studio: {origin}/#token=sts_…</pre>
        <p>
          Open that link in this browser, or paste it (or only the token in it) here. This browser
          then stays signed in, on every tab and after the studio restarts, for 30 days or until you
          sign out.
        </p>
        <form className="sign-in-form" onSubmit={(event) => void submit(event)}>
          <label htmlFor={inputId}>Link or token</label>
          <div className="sign-in-row">
            <input
              id={inputId}
              type="text"
              autoComplete="off"
              spellCheck={false}
              placeholder={`${origin}/#token=sts_…`}
              value={text}
              onChange={(event) => setText(event.target.value)}
              autoFocus
            />
            <button type="submit" className="primary" disabled={busy}>
              Sign in
            </button>
          </div>
        </form>
        <p className="muted small">
          Lost the link? Stop <code>serve</code> (Ctrl+C) and start it again (
          <code>npx studio serve</code>): it prints a new one. Scripts use a token of their own:{' '}
          <code>npx studio token create --scopes read,transcribe</code>.
        </p>
      </div>
    </main>
  );
}
