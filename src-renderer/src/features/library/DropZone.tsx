import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { toastError } from '../../app/toasts';
import { filesFromDrop } from './dropped-files';

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/**
 * Accepts files and folders (their audio and video files) dropped anywhere on it, with a visible
 * "drop here" state while they hover.
 */
export function DropZone({
  onFiles,
  children,
}: {
  onFiles(files: File[]): void;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the files left.
  const depth = useRef(0);
  return (
    <div
      className={`lib-dropzone${over ? ' over' : ''}`}
      data-dropping={over || undefined}
      onDragEnter={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!carriesFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        filesFromDrop(e.dataTransfer).then((files) => {
          if (files.length > 0) onFiles(files);
        }, toastError);
      }}
    >
      {children}
      {over && (
        <div className="lib-drop-overlay" aria-hidden="true">
          <p>Drop files or folders to import them into the library</p>
        </div>
      )}
    </div>
  );
}
