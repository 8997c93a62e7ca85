import { useQuery } from '@tanstack/react-query';
import { healthResponse } from '../../../src-main/contract/health';
import { request } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { Icon } from './icons';
import { signOut, useSession } from './session';
import { useEventsConnection } from './use-engine-events';

function EngineStatus() {
  const health = useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => request(healthResponse, '/health', { signal }),
    refetchInterval: 5000,
  });
  const ok = health.data?.status === 'ok';
  const text = health.isPending ? 'Connecting…' : ok ? 'Engine ready' : 'Engine unavailable';
  return (
    <span className={`engine-status ${ok ? 'ok' : health.isPending ? '' : 'bad'}`} role="status">
      {text}
    </span>
  );
}

/** Shown only while the events socket is down: the views then refresh by polling. */
function LiveUpdates() {
  const state = useEventsConnection((s) => s.state);
  if (state !== 'offline') return null;
  return (
    <span
      className="offline"
      title="The live connection to the engine dropped; reconnecting. Views refresh every few seconds meanwhile."
    >
      Offline · reconnecting
    </span>
  );
}

/** A browser signed in by its session cookie can sign out (every tab of it); the desktop app cannot. */
function SignOut() {
  const byCookie = useSession(
    (s) => s.status.state === 'signed-in' && s.status.info.via === 'cookie',
  );
  if (!byCookie) return null;
  return (
    <button
      type="button"
      className="sign-out"
      title="Sign this browser out of the studio (every tab)"
      onClick={() => void signOut().catch(() => undefined)}
    >
      Sign out
    </button>
  );
}

export function Topbar({ onShowShortcuts }: { onShowShortcuts(): void }) {
  return (
    <header className="topbar">
      <div className="topbar-status">
        <EngineStatus />
        <LiveUpdates />
      </div>
      <SignOut />
      <button
        type="button"
        className="icon-button"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        aria-keyshortcuts="?"
        onClick={onShowShortcuts}
      >
        <Icon name="keyboard" />
      </button>
    </header>
  );
}
