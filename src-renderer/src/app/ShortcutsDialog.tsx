import { Dialog } from './Dialog';
import { formatChord, normalizeKeys, useShortcuts, type Shortcut } from './shortcuts';
import { sectionInfo } from './sections';
import type { Route } from './ui-store';

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

const scopeTitle = (scope: Shortcut['scope']) =>
  scope === 'global'
    ? 'Everywhere'
    : scope === 'editor'
      ? 'Editor'
      : scope === 'overlay'
        ? 'Caption overlay'
        : sectionInfo[scope as Exclude<Route['view'], 'editor' | 'overlay'>].label;

function Keys({ keys }: { keys: string }) {
  const mac = isMac();
  return (
    <span className="keys">
      {normalizeKeys(keys).map((chord, i) => (
        <span key={i}>
          {i > 0 && <span className="muted"> then </span>}
          <kbd>{formatChord(chord, mac)}</kbd>
        </span>
      ))}
    </span>
  );
}

/** The cheat sheet: every registered shortcut, grouped by where it works. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const shortcuts = useShortcuts((s) => s.shortcuts);
  const groups = new Map<string, Shortcut[]>();
  for (const shortcut of shortcuts) {
    const title = scopeTitle(shortcut.scope);
    groups.set(title, [...(groups.get(title) ?? []), shortcut]);
  }
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} size="medium">
      {[...groups].map(([title, list]) => (
        <section key={title} className="shortcut-group" aria-label={title}>
          <h3>{title}</h3>
          <dl className="shortcut-list">
            {list.map((shortcut) => (
              <div key={shortcut.id} className="shortcut-row">
                <dt>{shortcut.description}</dt>
                <dd>
                  <Keys keys={shortcut.keys} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
