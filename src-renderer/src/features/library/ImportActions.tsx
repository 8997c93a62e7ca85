import { useRef, type RefObject } from 'react';
import { useToasts } from '../../app/toasts';
import { isMediaFileName } from './dropped-files';
import { autoTranscribeChoices, autoTranscribeKey } from './imports-store';
import { SpeakersChoiceField } from './SpeakersChoiceField';
import { useStoredState } from './use-stored-state';

interface Props {
  /** The file picker, so the empty state can open it too. */
  fileInput: RefObject<HTMLInputElement | null>;
  onFiles(files: File[]): void;
  onAddPath(): void;
}

/**
 * Import files, a folder or a path; whether to transcribe each import right away, and who
 * speaks in the transcriptions started here.
 */
export function ImportActions({ fileInput, onFiles, onAddPath }: Props) {
  const folderInput = useRef<HTMLInputElement | null>(null);
  const [auto, setAuto] = useStoredState(autoTranscribeKey, autoTranscribeChoices, 'off');
  return (
    <div className="lib-import-actions">
      <button type="button" className="primary" onClick={() => fileInput.current?.click()}>
        Import files
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        accept="audio/*,video/*"
        className="visually-hidden"
        aria-label="Choose files to import"
        tabIndex={-1}
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <button type="button" onClick={() => folderInput.current?.click()}>
        Import folder
      </button>
      <input
        ref={(input) => {
          folderInput.current = input;
          if (input) input.webkitdirectory = true;
        }}
        type="file"
        className="visually-hidden"
        aria-label="Choose a folder to import"
        tabIndex={-1}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])].filter((f) => isMediaFileName(f.name));
          e.target.value = '';
          if (files.length > 0) onFiles(files);
          else useToasts.getState().show('info', 'That folder has no audio or video files.');
        }}
      />
      <button type="button" onClick={onAddPath}>
        Add by path…
      </button>
      <label className="lib-auto">
        <input
          type="checkbox"
          checked={auto === 'on'}
          onChange={(e) => setAuto(e.target.checked ? 'on' : 'off')}
        />
        Transcribe automatically after import
      </label>
      <SpeakersChoiceField id="library-speakers" inline />
    </div>
  );
}
