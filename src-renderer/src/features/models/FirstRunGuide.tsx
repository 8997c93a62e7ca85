import type { ModelRecommendation, ModelStatus } from '../../../../src-main/contract/models';
import { formatBytes } from '../../../../src-main/common/format-bytes';
import { downloadFailureText } from './format';

export interface FirstRunGuideProps {
  /** The Whisper model that fits this machine (GET /v1/models/recommendation), once known. */
  recommendation: ModelRecommendation | undefined;
  /** That model's status in the list. */
  model: ModelStatus | undefined;
  /** Why the recommendation could not be had (the guide still offers an import). */
  problem: string | null;
  onDownload(id: string): void;
  onImport(): void;
  busy: boolean;
}

/** Shown while no speech-recognition model is ready: what to get for this machine, in one click. */
export function FirstRunGuide({
  recommendation,
  model,
  problem,
  onDownload,
  onImport,
  busy,
}: FirstRunGuideProps) {
  const downloading = model?.status === 'downloading';
  const offer = recommendation && model;
  return (
    <section className="card first-run" aria-labelledby="first-run-title">
      <h3 id="first-run-title">Get started: install a speech model</h3>
      <p>
        No speech-recognition model is installed yet. The studio needs one Whisper model to
        transcribe; it runs entirely on this machine.
      </p>
      {offer && (
        <p className="muted first-run-reason">
          Recommended for this machine: <strong>{model.name}</strong> (
          {formatBytes(model.sizeBytes)}). {recommendation.reason} Larger models are more accurate
          and slower; the English-only ones (<code>.en</code>) are a little more accurate in
          English.
        </p>
      )}
      {!recommendation && !problem && <p className="muted">Looking at this machine…</p>}
      {problem && <p className="muted">{problem}</p>}
      {model?.lastError && model.status !== 'downloading' && (
        <p role="alert" className="alert">
          {downloadFailureText(model.lastError)}
        </p>
      )}
      <div className="row">
        {offer && (
          <button
            type="button"
            className="primary"
            disabled={busy || downloading}
            onClick={() => onDownload(model.id)}
          >
            {downloading
              ? `Downloading ${model.name}…`
              : `Download ${model.name} (${formatBytes(model.sizeBytes)})`}
          </button>
        )}
        <button type="button" onClick={onImport}>
          Import a model file…
        </button>
      </div>
    </section>
  );
}
