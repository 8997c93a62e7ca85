import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ModelStatus } from '../../../../src-main/contract/models';
import { queryKeys } from '../../api/query-keys';
import { ConfirmDialog } from '../../app/Dialog';
import { toastError, useToasts } from '../../app/toasts';
import { saveSettings, settingsQuery } from '../settings/queries';
import { ImportModelDialog } from './ImportModelDialog';
import { FirstRunGuide } from './FirstRunGuide';
import { formatBytes } from '../../../../src-main/common/format-bytes';
import { kindLabel, ModelRow } from './ModelRow';
import { recommendationLanguage } from '../../../../src-main/common/recommendation-language';
import { kindFilters, useModelFilters } from './model-filters';
import {
  cancelDownload,
  deleteModel,
  modelKeys,
  modelListQuery,
  recommendationQuery,
  startDownload,
} from './queries';
import './models.css';

export function ModelsView() {
  const queryClient = useQueryClient();
  const models = useQuery(modelListQuery());
  const settings = useQuery(settingsQuery());
  const language = recommendationLanguage(settings.data?.defaultLanguage, navigator.language);
  const recommendation = useQuery({
    ...recommendationQuery(language),
    // Wait for the settings: their default language decides between English-only and multilingual.
    enabled: !settings.isPending,
  });
  const { kind, installedOnly, setKind, setInstalledOnly } = useModelFilters();
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<ModelStatus | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: modelKeys.all });
  const download = useMutation({
    mutationFn: startDownload,
    onError: toastError,
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: cancelDownload,
    onError: toastError,
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: deleteModel,
    onError: toastError,
    onSuccess: () => {
      useToasts.getState().show('success', `Deleted ${deleting?.name ?? 'the model'}.`);
      setDeleting(null);
    },
    onSettled: refresh,
  });
  const makeDefault = useMutation({
    mutationFn: (id: string) => saveSettings({ defaultModel: id }),
    onError: toastError,
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.settings, saved),
  });

  const header = (
    <header className="view-header">
      <div>
        <h2 id="models-title">Models</h2>
        <p>Speech recognition and helper models, stored on this machine.</p>
      </div>
      <button type="button" onClick={() => setImporting(true)}>
        Import a model file…
      </button>
    </header>
  );

  let body;
  if (models.isPending) body = <p className="muted">Loading the model catalog…</p>;
  else if (models.isError) {
    body = (
      <p role="alert" className="alert">
        {models.error.message}
      </p>
    );
  } else {
    const list = models.data.models;
    const whisperReady = list.some((m) => m.kind === 'whisper' && m.status === 'ready');
    const recommendedId = recommendation.data?.id;
    const recommended = list.find((m) => m.id === recommendedId);
    const defaultModel = settings.data?.defaultModel ?? null;
    const shown = list.filter(
      (m) => (kind === 'all' || m.kind === kind) && (!installedOnly || m.status === 'ready'),
    );
    const installedBytes = list
      .filter((m) => m.status === 'ready')
      .reduce((sum, m) => sum + m.sizeBytes, 0);
    body = (
      <>
        {!whisperReady && (
          <FirstRunGuide
            recommendation={recommendation.data}
            model={recommended}
            problem={recommendation.isError ? recommendation.error.message : null}
            busy={download.isPending}
            onDownload={(id) => download.mutate(id)}
            onImport={() => setImporting(true)}
          />
        )}
        <div className="row models-toolbar">
          <label htmlFor="model-kind">Kind</label>
          <select
            id="model-kind"
            value={kind}
            onChange={(event) =>
              setKind(kindFilters.find((k) => k === event.target.value) ?? 'all')
            }
          >
            <option value="all">All kinds</option>
            {Object.entries(kindLabel).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={installedOnly}
              onChange={(event) => setInstalledOnly(event.target.checked)}
            />
            Installed only
          </label>
          <span className="muted small models-summary">
            {list.filter((m) => m.status === 'ready').length} installed ·{' '}
            {formatBytes(installedBytes)} on disk
          </span>
        </div>
        {shown.length === 0 ? (
          <div className="empty">
            <p className="empty-title">No model matches</p>
            <p className="muted">Show all kinds, or download one from the full list.</p>
          </div>
        ) : (
          <table className="table models">
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
              {shown.map((model) => (
                <ModelRow
                  key={model.id}
                  model={model}
                  recommended={model.id === recommendedId}
                  isDefault={model.id === defaultModel}
                  busy={download.isPending || makeDefault.isPending || remove.isPending}
                  onDownload={(id) => download.mutate(id)}
                  onCancel={(id) => cancel.mutate(id)}
                  onMakeDefault={(id) => makeDefault.mutate(id)}
                  onDelete={setDeleting}
                />
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  }

  return (
    <section className="view" aria-labelledby="models-title">
      {header}
      {body}
      {importing && <ImportModelDialog onClose={() => setImporting(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete model"
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate(deleting.id)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            The model file ({formatBytes(deleting.sizeBytes)}) is removed from this machine.
            {deleting.source === 'catalog'
              ? ' You can download it again from the catalog.'
              : ' An imported model has to be imported again to use it.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
