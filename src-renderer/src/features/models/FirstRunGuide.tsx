import type { ModelStatus } from '../../../../src-main/contract/models';
import { formatBytes } from '../../../../src-main/common/format-bytes';

export interface FirstRunGuideProps {
  /** The recommended Whisper model of the catalog, when there is one. */
  recommended: ModelStatus | undefined;
  onDownload(id: string): void;
  onImport(): void;
  busy: boolean;
}

/** Shown while no speech-recognition model is ready: what to get, in one click. */
export function FirstRunGuide({ recommended, onDownload, onImport, busy }: FirstRunGuideProps) {
  const downloading = recommended?.status === 'downloading';
  return (
    <section className="card first-run" aria-labelledby="first-run-title">
      <h3 id="first-run-title">Get started: install a speech model</h3>
      <p>
        No speech-recognition model is installed yet. The studio needs one Whisper model to
        transcribe; it runs entirely on this machine.
      </p>
      {recommended && (
        <p className="muted">
          <strong>{recommended.name}</strong> ({formatBytes(recommended.sizeBytes)}) is a good
          balance of accuracy and speed for most recordings. Smaller models are faster; the
          English-only ones (<code>.en</code>) are a little more accurate in English.
        </p>
      )}
      <div className="row">
        {recommended && (
          <button
            type="button"
            className="primary"
            disabled={busy || downloading}
            onClick={() => onDownload(recommended.id)}
          >
            {downloading
              ? `Downloading ${recommended.name}…`
              : `Download ${recommended.name} (${formatBytes(recommended.sizeBytes)})`}
          </button>
        )}
        <button type="button" onClick={onImport}>
          Import a model file…
        </button>
      </div>
    </section>
  );
}
