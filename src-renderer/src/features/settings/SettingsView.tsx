import { useQuery } from '@tanstack/react-query';
import { CopyField } from '../../app/CopyField';
import { VoicesCard } from '../speakers/VoicesCard';
import { systemInfoQuery } from '../system/queries';
import { CaptionPresetsCard } from './CaptionPresetsCard';
import { settingsQuery } from './queries';
import { SettingsForm } from './SettingsForm';
import { TokensCard } from './TokensCard';
import './settings.css';

function DataFolderCard() {
  const system = useQuery(systemInfoQuery());
  const logFile = system.data?.logFile;
  return (
    <section className="card" aria-labelledby="data-folder-title">
      <h3 id="data-folder-title">Data folder</h3>
      <p className="muted">
        The library, transcripts, models and settings live here. Start the studio with{' '}
        <code>--data-dir</code> to use another folder.
      </p>
      {system.data ? (
        <code className="data-folder">{system.data.dataDir}</code>
      ) : (
        <p className="muted">{system.isError ? system.error.message : 'Loading…'}</p>
      )}
      {logFile && (
        <div className="field">
          <label htmlFor="engine-log-file">Engine log</label>
          <p className="muted">
            What the engine did and every error it met, one JSON line each (secrets left out). An
            error message that gives a request id is found there under that id.
          </p>
          <CopyField id="engine-log-file" value={logFile} what="Log path" className="log-file" />
        </div>
      )}
    </section>
  );
}

export function SettingsView() {
  const settings = useQuery(settingsQuery());
  return (
    <section className="view settings" aria-labelledby="settings-title">
      <header className="view-header">
        <div>
          <h2 id="settings-title">Settings</h2>
          <p>
            How the engine transcribes, what it accepts, the voices it knows, and who may use its
            API.
          </p>
        </div>
      </header>
      {settings.isPending && <p className="muted">Loading the settings…</p>}
      {settings.isError && (
        <p role="alert" className="alert">
          {settings.error.message}
        </p>
      )}
      {settings.data && <SettingsForm saved={settings.data} />}
      <CaptionPresetsCard />
      <VoicesCard />
      <TokensCard />
      <DataFolderCard />
    </section>
  );
}
