import { useDoc } from './editor-context';
import { useEditorUi } from './editor-ui';
import { cueAt } from './timeline';

/** The caption on screen at the playhead, as the document's lines wrap it. */
export function CaptionPreview() {
  const doc = useDoc((s) => s.doc);
  // A string, so the preview re-renders only when the caption changes, not on every frame.
  const text = useEditorUi((s) => cueAt(doc, s.currentMs)?.lines.join('\n') ?? null);
  if (text === null) return null;
  return (
    <div className="caption-preview" data-testid="caption-preview">
      {text.split('\n').map((line, i) => (
        <span key={i}>{line}</span>
      ))}
    </div>
  );
}
