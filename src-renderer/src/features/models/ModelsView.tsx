import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ModelStatus } from '../../../../src-main/contract/models';
import { ApiError } from '../../api/client';
import { formatBytes, formatLanguages } from './format';
import { cancelDownload, modelKeys, modelListQuery, startDownload } from './queries';

const kindLabel: Record<ModelStatus['kind'], string> = {
  whisper: 'Speech recognition',
  vad: 'Voice activity',
  segmentation: 'Speaker segmentation',
  embedding: 'Speaker embedding',
};

function StatusCell({ model }: { model: ModelStatus }) {
  if (model.status === 'downloading' && model.progress) {
    const { receivedBytes, totalBytes } = model.progress;
    const percent = totalBytes ? Math.floor((receivedBytes / totalBytes) * 100) : null;
    return (
      <span className="status downloading">
        <progress max={100} value={percent ?? undefined} aria-label={`Downloading ${model.name}`} />
        {percent !== null ? `${percent}%` : formatBytes(receivedBytes)}
      </span>
    );
  }
  return (
    <span className={`status ${model.status}`} title={model.error ?? undefined}>
      {model.status}
      {model.status === 'missing' && model.partialBytes > 0
        ? ` (${formatBytes(model.partialBytes)} kept)`
        : ''}
    </span>
  );
}

export function ModelsView() {
  const queryClient = useQueryClient();
  const models = useQuery(modelListQuery());
  const onSettled = () => queryClient.invalidateQueries({ queryKey: modelKeys.all });
  const download = useMutation({ mutationFn: startDownload, onSettled });
  const cancel = useMutation({ mutationFn: cancelDownload, onSettled });
  const failure = download.error ?? cancel.error;

  if (models.isPending) return <p className="muted">Loading the model catalog…</p>;
  if (models.isError) {
    return (
      <p role="alert" className="error">
        {models.error.message}
      </p>
    );
  }
  const list = models.data.models;
  const ready = list.filter((m) => m.kind === 'whisper' && m.status === 'ready').length;

  return (
    <section aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      {ready === 0 && (
        <p className="hint">
          No speech-recognition model is installed yet. Download one below (the recommended model is
          marked ★) or import a ggml file with <code>npm run cli -- models import FILE</code>.
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure instanceof ApiError ? failure.message : String(failure)}
        </p>
      )}
      <table className="models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Kind</th>
            <th scope="col">Languages</th>
            <th scope="col">Size</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((model) => (
            <tr key={model.id} data-model-id={model.id}>
              <td>
                <span className="model-name">
                  {model.name}
                  {model.recommended && <span title="Recommended"> ★</span>}
                </span>
                <span className="muted small">{model.description}</span>
              </td>
              <td>{kindLabel[model.kind]}</td>
              <td>{formatLanguages(model.languages)}</td>
              <td>{formatBytes(model.sizeBytes)}</td>
              <td>
                <StatusCell model={model} />
              </td>
              <td>
                {model.source === 'catalog' &&
                  (model.status === 'missing' || model.status === 'corrupt') && (
                    <button type="button" onClick={() => download.mutate(model.id)}>
                      {model.partialBytes > 0 ? 'Resume' : 'Download'}
                    </button>
                  )}
                {model.status === 'downloading' && (
                  <button type="button" onClick={() => cancel.mutate(model.id)}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
