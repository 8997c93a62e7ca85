import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { download } from '../../api/client';
import { Dialog } from '../../app/Dialog';
import { toastError, useToasts } from '../../app/toasts';
import { useDoc, useEditor } from './editor-context';
import { useEditorUi } from './editor-ui';
import { captionPresetsQuery, exportPath } from './queries';

const formats = [
  { id: 'srt', label: 'SubRip captions (.srt)' },
  { id: 'vtt', label: 'WebVTT captions (.vtt)' },
  { id: 'txt', label: 'Plain text (.txt)' },
  { id: 'docx', label: 'Word document (.docx)' },
  { id: 'csv', label: 'Spreadsheet, one row per word (.csv)' },
  { id: 'json', label: 'Transcript document with every word (.json)' },
] as const;

/**
 * Export: choose a format and a caption preset (re-wraps the captions by its rules; "as edited"
 * keeps the lines as they are), then download. Unsaved edits are saved first, so the file
 * matches the screen.
 */
export function ExportDialog() {
  const { transcriptId, autosaver } = useEditor();
  const documentPreset = useDoc((s) => s.doc.captions.preset);
  const presets = useQuery(captionPresetsQuery());
  const [format, setFormat] = useState<(typeof formats)[number]['id']>('srt');
  const [preset, setPreset] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => useEditorUi.getState().set({ exportOpen: false });
  const captions = format === 'srt' || format === 'vtt';

  const run = async () => {
    setBusy(true);
    try {
      await autosaver.flush();
      if (autosaver.dirty()) {
        throw new Error('Your edits could not be saved, so the export would not match them.');
      }
      const name = await download(
        exportPath(transcriptId, format, captions && preset ? preset : null),
      );
      useToasts.getState().show('success', `Exported ${name}`);
      close();
    } catch (error) {
      toastError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Export"
      onClose={close}
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy}
            onClick={() => void run()}
          >
            {busy ? 'Exporting…' : 'Download'}
          </button>
        </>
      }
    >
      <fieldset className="export-formats">
        <legend>Format</legend>
        {formats.map((f) => (
          <label key={f.id}>
            <input
              type="radio"
              name="format"
              value={f.id}
              checked={format === f.id}
              onChange={() => setFormat(f.id)}
              data-autofocus={format === f.id ? true : undefined}
            />{' '}
            {f.label}
          </label>
        ))}
      </fieldset>
      <label className="export-preset">
        Caption preset{' '}
        <select
          value={preset}
          disabled={!captions}
          onChange={(event) => setPreset(event.target.value)}
          aria-describedby="export-preset-help"
        >
          <option value="">As edited ({documentPreset} lines)</option>
          {presets.data?.presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <p id="export-preset-help" className="muted">
        {captions
          ? (presets.data?.presets.find((p) => p.id === preset)?.description ??
            'A preset re-wraps the captions by its line length, reading speed and timing rules.')
          : 'Presets apply to caption formats (SRT, WebVTT).'}
        {presets.isError && ' The presets could not be loaded.'}
      </p>
      <p className="muted">The caption preview over the waveform shows the captions as edited.</p>
    </Dialog>
  );
}
