import { useEffect, useState } from 'react';
import { EditorView } from '../features/editor/EditorView';
import { LibraryView } from '../features/library/LibraryView';
import { CaptionOverlay } from '../features/live/CaptionOverlay';
import { LiveHost } from '../features/live/LiveHost';
import { LiveView } from '../features/live/LiveView';
import { ModelsView } from '../features/models/ModelsView';
import { QueueView } from '../features/queue/QueueView';
import { SettingsView } from '../features/settings/SettingsView';
import { SystemView } from '../features/system/SystemView';
import { sectionInfo } from './sections';
import { useSession } from './session';
import { SignIn } from './SignIn';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { ToastRegion } from './ToastRegion';
import { Topbar } from './Topbar';
import { sections, useUiStore, type Route, type Section } from './ui-store';
import { useEngineEvents, useEventsConnection } from './use-engine-events';
import { useRouteSync } from './use-route-sync';
import { useShortcut, useShortcutDispatcher } from './use-shortcuts';
import { useStudioCommands } from './use-studio-commands';
import { useViewFocus } from './use-view-focus';
import { useMenuImports } from '../features/library/use-menu-imports';

/** The routes the studio's main area shows (the overlay is a window of its own). */
type StudioRoute = Exclude<Route, { view: 'overlay' }>;

function CurrentView({ route }: { route: StudioRoute }) {
  switch (route.view) {
    case 'editor':
      return (
        <EditorView key={route.transcriptId} transcriptId={route.transcriptId} atMs={route.atMs} />
      );
    case 'library':
      return <LibraryView />;
    case 'live':
      return <LiveView />;
    case 'queue':
      return <QueueView />;
    case 'models':
      return <ModelsView />;
    case 'settings':
      return <SettingsView />;
    case 'system':
      return <SystemView />;
  }
}

function SectionShortcut({ section }: { section: Section }) {
  const navigate = useUiStore((s) => s.navigate);
  useShortcut({
    id: `go.${section}`,
    keys: sectionInfo[section].keys,
    description: `Go to ${sectionInfo[section].label}`,
    scope: 'global',
    handler: () => navigate({ view: section }),
  });
  return null;
}

/** The caption overlay's window: the captions and nothing else. */
function OverlayWindow() {
  useEffect(() => {
    document.title = 'Live captions — Transcription Studio';
  }, []);
  return <CaptionOverlay />;
}

export function App() {
  const route = useUiStore((s) => s.route);
  useRouteSync();
  return route.view === 'overlay' ? <OverlayWindow /> : <SignedIn route={route} />;
}

/** While the first check runs, or the engine does not answer it. */
function Waiting({ unreachable }: { unreachable: boolean }) {
  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        {unreachable ? (
          <p role="alert">
            The studio engine is not answering. This page connects by itself once it is back; if you
            stopped it, start it again in its terminal (<code>npx studio serve</code>).
          </p>
        ) : (
          <p className="muted" role="status">
            Connecting to the studio…
          </p>
        )}
      </div>
    </main>
  );
}

/** The studio for a signed-in browser (or the desktop app); else the sign-in screen. */
function SignedIn({ route }: { route: StudioRoute }) {
  const status = useSession((s) => s.status);
  switch (status.state) {
    case 'checking':
    case 'unreachable':
      return <Waiting unreachable={status.state === 'unreachable'} />;
    case 'signed-out':
      return <SignIn reason={status.reason} />;
    case 'signed-in':
      return <Studio route={route} />;
  }
}

/** Said while the engine does not answer: nothing on screen then looks live. */
function EngineAway() {
  return (
    <div role="alert" className="engine-away">
      <strong>The studio engine is not answering</strong>: it stopped or is restarting. This page
      reconnects by itself and fetches everything again once it is back. If you stopped it, start it
      again in its terminal (<code>npx studio serve</code>).
    </div>
  );
}

/** The studio: sidebar, top bar and the current view. */
function Studio({ route }: { route: StudioRoute }) {
  const [cheatSheet, setCheatSheet] = useState(false);
  const away = useEventsConnection((s) => s.state === 'unreachable');
  useViewFocus(route);
  useEngineEvents();
  useShortcutDispatcher();
  useStudioCommands(() => setCheatSheet(true));
  useMenuImports();
  useShortcut({
    id: 'shortcuts.show',
    keys: '?',
    description: 'Show keyboard shortcuts',
    scope: 'global',
    handler: () => setCheatSheet(true),
  });

  return (
    <div className="shell">
      {/* The first Tab stop: past the sidebar and top bar to the view (a button, not a #link,
          because the hash is the route). */}
      <button
        type="button"
        className="skip-link"
        onClick={() => document.getElementById('main')?.focus()}
      >
        Skip to content
      </button>
      {sections.map((section) => (
        <SectionShortcut key={section} section={section} />
      ))}
      {away && <EngineAway />}
      <div className="sidebar-column" inert={away}>
        <Sidebar />
      </div>
      <div className="main-column" inert={away}>
        <Topbar onShowShortcuts={() => setCheatSheet(true)} />
        <main className="content" id="main" tabIndex={-1}>
          <CurrentView route={route} />
        </main>
      </div>
      <ToastRegion />
      <LiveHost />
      {cheatSheet && <ShortcutsDialog onClose={() => setCheatSheet(false)} />}
    </div>
  );
}
