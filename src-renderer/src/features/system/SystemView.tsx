import { useQuery } from '@tanstack/react-query';
import { systemInfoQuery } from './queries';

export function SystemView() {
  const system = useQuery(systemInfoQuery());
  if (system.isPending) return <p className="muted">Asking the engine…</p>;
  if (system.isError) {
    return (
      <p role="alert" className="error">
        {system.error.message}
      </p>
    );
  }
  const info = system.data;
  return (
    <section aria-labelledby="system-title">
      <h2 id="system-title">System</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{info.version}</dd>
        <dt>Platform</dt>
        <dd>
          {info.platform} {info.arch}, {info.cpus} CPU threads,{' '}
          {(info.totalMemoryMb / 1024).toFixed(1)} GiB memory
        </dd>
        <dt>Data folder</dt>
        <dd>
          <code>{info.dataDir}</code>
        </dd>
        {info.logFile && (
          <>
            <dt>Engine log</dt>
            <dd>
              <code>{info.logFile}</code>
            </dd>
          </>
        )}
        <dt>ffmpeg</dt>
        <dd>
          {info.ffmpeg.available ? (
            <code>{info.ffmpeg.ffmpegPath}</code>
          ) : (
            <span role="alert" className="error">
              {info.ffmpeg.problem}
            </span>
          )}
        </dd>
      </dl>
    </section>
  );
}
