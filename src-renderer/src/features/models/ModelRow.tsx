import type { ModelStatus } from '../../../../src-main/contract/models';
import { ProgressBar } from '../../app/ProgressBar';
import { formatBytes } from '../../../../src-main/common/format-bytes';
import { downloadFailureText, formatLanguages } from './format';

export const kindLabel: Record<ModelStatus['kind'], string> = {
  whisper: 'Speech recognition',
  vad: 'Voice activity',
  segmentation: 'Speaker segmentation',
  embedding: 'Speaker embedding',
};

function StatusCell({ model }: { model: ModelStatus }) {
  if (model.status === 'downloading' && model.progress) {
    const { receivedBytes, totalBytes, bytesPerSec } = model.progress;
    const percent = totalBytes ? (receivedBytes / totalBytes) * 100 : null;
    const amount = `${formatBytes(receivedBytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
    return (
      <div className="model-download">
        <ProgressBar value={percent} label={`Downloading ${model.name}`} valueText={amount} />
        <span className="small muted num">
          {amount}
          {bytesPerSec > 0 ? ` · ${formatBytes(bytesPerSec)}/s` : ''}
        </span>
      </div>
    );
  }
  if (model.status === 'ready') return <span className="pill ok">Installed</span>;
  if (model.status === 'corrupt') {
    return (
      <span className="pill bad" title={model.error ?? undefined}>
        Damaged
      </span>
    );
  }
  if (model.status === 'downloading') return <span className="pill active">Starting…</span>;
  if (model.lastError) return <span className="pill bad">Download failed</span>;
  return (
    <span className="muted">
      Not installed
      {model.partialBytes > 0 && (
        <span className="small"> · {formatBytes(model.partialBytes)} kept</span>
      )}
    </span>
  );
}

export interface ModelRowProps {
  model: ModelStatus;
  /** The model recommended for this machine (starred). */
  recommended: boolean;
  isDefault: boolean;
  busy: boolean;
  onDownload(id: string): void;
  onCancel(id: string): void;
  onMakeDefault(id: string): void;
  onDelete(model: ModelStatus): void;
}

export function ModelRow(props: ModelRowProps) {
  const { model, recommended, isDefault, busy, onDownload, onCancel, onMakeDefault, onDelete } =
    props;
  const nameId = `model-${model.id}-name`;
  const canDownload =
    model.source === 'catalog' && (model.status === 'missing' || model.status === 'corrupt');
  const canDelete =
    model.status === 'ready' || model.status === 'corrupt' || model.partialBytes > 0;
  return (
    <tr data-model-id={model.id}>
      <td>
        <span className="model-name" id={nameId}>
          {model.name}
          {recommended && (
            <span className="recommended" title="Recommended for this machine">
              {' '}
              ★<span className="visually-hidden"> recommended for this machine</span>
            </span>
          )}
          {isDefault && <span className="pill active">Default</span>}
        </span>
        <span className="muted small model-description">{model.description}</span>
        {model.status === 'corrupt' && model.error && (
          <span className="error small model-description">{model.error}</span>
        )}
        {model.status !== 'corrupt' && model.lastError && (
          <span className="error small model-description model-failure">
            {downloadFailureText(model.lastError)}
          </span>
        )}
      </td>
      <td>{kindLabel[model.kind]}</td>
      <td>{formatLanguages(model.languages)}</td>
      <td className="num">{formatBytes(model.sizeBytes)}</td>
      <td>
        <StatusCell model={model} />
      </td>
      <td>
        <div className="model-actions">
          {canDownload && (
            <button
              type="button"
              className="small"
              disabled={busy}
              aria-describedby={nameId}
              onClick={() => onDownload(model.id)}
            >
              {model.partialBytes > 0 ? 'Resume' : 'Download'}
            </button>
          )}
          {model.status === 'downloading' && (
            <button
              type="button"
              className="small"
              aria-describedby={nameId}
              onClick={() => onCancel(model.id)}
            >
              Cancel
            </button>
          )}
          {model.kind === 'whisper' && model.status === 'ready' && !isDefault && (
            <button
              type="button"
              className="small"
              disabled={busy}
              aria-describedby={nameId}
              onClick={() => onMakeDefault(model.id)}
            >
              Make default
            </button>
          )}
          {canDelete && model.status !== 'downloading' && (
            <button
              type="button"
              className="small subtle"
              disabled={busy}
              aria-label={`Delete ${model.name}`}
              onClick={() => onDelete(model)}
            >
              Delete
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
