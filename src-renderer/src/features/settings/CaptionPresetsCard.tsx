import { useQuery } from '@tanstack/react-query';
import { captionPresetsQuery } from './queries';

/** The caption presets the engine wraps captions with (read-only: chosen per export). */
export function CaptionPresetsCard() {
  const presets = useQuery(captionPresetsQuery());
  return (
    <section className="card" aria-labelledby="presets-title">
      <h3 id="presets-title">Caption presets</h3>
      {presets.isPending && <p className="muted">Loading…</p>}
      {presets.isError && (
        <p className="muted">
          The engine does not list its caption presets: {presets.error.message}
        </p>
      )}
      {presets.data && (
        <ul className="preset-list">
          {presets.data.presets.map((preset) => (
            <li key={preset.id}>
              <span className="preset-name">{preset.name}</span>
              <span className="muted">{preset.description}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint">
        Choose a preset when you export captions from the editor, or per job through the API.
      </p>
    </section>
  );
}
