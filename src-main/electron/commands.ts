/**
 * Commands the main process sends the renderer (menu items, tray) on the `studio:command`
 * channel. The renderer decides what each means where the focus is (e.g. `undo` in a text
 * field is the field's own undo, elsewhere the editor's).
 */
export const studioCommands = [
  'undo',
  'redo',
  'find',
  'shortcuts',
  'go:library',
  'go:live',
  'go:queue',
  'go:models',
  'go:settings',
] as const;
export type StudioCommand = (typeof studioCommands)[number];
