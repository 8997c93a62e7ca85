import type { Section } from './ui-store';

/** Each section's name in the sidebar and the `g` sequence that opens it. */
export const sectionInfo: Record<Section, { label: string; keys: string }> = {
  library: { label: 'Library', keys: 'g l' },
  live: { label: 'Live', keys: 'g v' },
  queue: { label: 'Queue', keys: 'g q' },
  models: { label: 'Models', keys: 'g m' },
  settings: { label: 'Settings', keys: 'g s' },
  system: { label: 'System', keys: 'g y' },
};
