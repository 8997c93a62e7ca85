import { useQuery } from '@tanstack/react-query';
import { healthResponse } from '../../../src-main/contract/health';
import { request } from '../api/client';
import { ModelsView } from '../features/models/ModelsView';
import { SystemView } from '../features/system/SystemView';
import { useUiStore, views, type View } from './ui-store';

const viewLabel: Record<View, string> = { models: 'Models', system: 'System' };

function EngineStatus() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => request(healthResponse, '/health', { signal }),
    refetchInterval: 5000,
  });
  const ok = health.data?.status === 'ok';
  const text = health.isPending ? 'Connecting…' : ok ? 'Engine ready' : 'Engine unavailable';
  return (
    <span className={`engine-status ${ok ? 'ok' : 'bad'}`} role="status">
      {text}
    </span>
  );
}

export function App() {
  const view = useUiStore((s) => s.view);
  const setView = useUiStore((s) => s.setView);
  return (
    <div className="shell">
      <header className="topbar">
        <h1>Transcription Studio</h1>
        <EngineStatus />
      </header>
      <nav className="sidebar" aria-label="Sections">
        {views.map((v) => (
          <button
            key={v}
            type="button"
            aria-current={v === view ? 'page' : undefined}
            onClick={() => setView(v)}
          >
            {viewLabel[v]}
          </button>
        ))}
      </nav>
      <main className="content">{view === 'models' ? <ModelsView /> : <SystemView />}</main>
    </div>
  );
}
