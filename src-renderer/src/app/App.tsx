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
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { ToastRegion } from './ToastRegion';
import { Topbar } from './Topbar';
import { sections, useUiStore, type Route, type Section } from './ui-store';
import { useEngineEvents } from './use-engine-events';
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
  return route.view === 'overlay' ? <OverlayWindow /> : <Studio route={route} />;
}

/** The studio: sidebar, top bar and the current view. */
function Studio({ route }: { route: StudioRoute }) {
  const [cheatSheet, setCheatSheet] = useState(false);
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
      <Sidebar />
      <div className="main-column">
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
