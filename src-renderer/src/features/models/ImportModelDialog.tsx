import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { UploadProgress } from '../../api/client';
import { Dialog } from '../../app/Dialog';
import { ProgressBar } from '../../app/ProgressBar';
import { useToasts } from '../../app/toasts';
import { formatBytes } from '../../../../src-main/common/format-bytes';
import { importModelByPath, modelKeys, uploadModel } from './queries';

type Source = 'file' | 'path';

const isAbsolute = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path);

/** Imports a ggml Whisper (or VAD) file: picked on this computer, or named by its path. */
export function ImportModelDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source>('file');
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState('');
  const [id, setId] = useState('');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const run = useMutation({
    mutationFn: async () => {
      const modelId = id.trim() || undefined;
      if (source === 'path') return importModelByPath({ path: path.trim(), id: modelId });
      if (!file) throw new Error('Choose a model file first.');
      // Under Electron the file is on this machine: hand the engine its path, no copy.
      const localPath = window.studio?.pathForFile(file);
      if (localPath) return importModelByPath({ path: localPath, id: modelId });
      abort.current = new AbortController();
      return uploadModel(file, {
        id: modelId,
        onProgress: setProgress,
        signal: abort.current.signal,
      });
    },
    onSuccess: (model) => {
      void queryClient.invalidateQueries({ queryKey: modelKeys.all });
      useToasts.getState().show('success', `Imported ${model.name}.`);
      onClose();
    },
    onSettled: () => setProgress(null),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (source === 'path' && !isAbsolute(path.trim())) {
      setInvalid('Enter the absolute path of the file on the machine running the engine.');
      return;
    }
    if (source === 'file' && !file) {
      setInvalid('Choose a model file.');
      return;
    }
    setInvalid(null);
    run.mutate();
  };
  const cancel = () => {
    abort.current?.abort();
    onClose();
  };
  const error =
    invalid ?? (run.error && run.error.name !== 'AbortError' ? run.error.message : null);

  return (
    <Dialog
      title="Import a model file"
      onClose={cancel}
      footer={
        <>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button
            type="submit"
            form="import-model-form"
            className="primary"
            disabled={run.isPending}
          >
            {run.isPending ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <form id="import-model-form" className="import-form" onSubmit={onSubmit} noValidate>
        <p className="muted">
          A ggml <code>.bin</code> file of a Whisper model (for example from whisper.cpp) or of the
          Silero VAD. The engine checks it before it is listed.
        </p>
        <fieldset className="segmented">
          <legend className="visually-hidden">Where the file is</legend>
          <label>
            <input
              type="radio"
              name="source"
              checked={source === 'file'}
              onChange={() => setSource('file')}
            />
            On this computer
          </label>
          <label>
            <input
              type="radio"
              name="source"
              checked={source === 'path'}
              onChange={() => setSource('path')}
            />
            Path on the engine’s machine
          </label>
        </fieldset>
        {source === 'file' ? (
          <div className="field">
            <label htmlFor="model-file">Model file</label>
            <input
              id="model-file"
              type="file"
              accept=".bin,.ggml,application/octet-stream"
              aria-invalid={invalid !== null && !file}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
            {file && <span className="field-hint">{formatBytes(file.size)}</span>}
          </div>
        ) : (
          <div className="field">
            <label htmlFor="model-path">File path</label>
            <input
              id="model-path"
              type="text"
              value={path}
              placeholder="/home/me/models/ggml-small.en.bin"
              spellCheck={false}
              aria-invalid={invalid !== null}
              aria-describedby="model-path-hint"
              onChange={(event) => setPath(event.target.value)}
            />
            <span id="model-path-hint" className="field-hint">
              Absolute path; the engine reads the file where it is.
            </span>
          </div>
        )}
        <div className="field">
          <label htmlFor="model-id">
            Model id <span className="field-hint">(optional)</span>
          </label>
          <input
            id="model-id"
            type="text"
            value={id}
            placeholder="derived from the file name"
            spellCheck={false}
            onChange={(event) => setId(event.target.value)}
          />
        </div>
        {progress && (
          <div className="field">
            <ProgressBar
              value={progress.percent}
              label="Upload progress"
              valueText={`${formatBytes(progress.loadedBytes)}${progress.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ''}`}
            />
            <span className="field-hint num">
              {formatBytes(progress.loadedBytes)}
              {progress.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ''}
            </span>
          </div>
        )}
        {error && (
          <p role="alert" className="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
