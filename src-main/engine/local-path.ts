import path from 'node:path';
import { EngineError } from './errors';

export interface LocalPathOptions {
  /** Whose rules apply. @default process.platform (the machine running the engine) */
  platform?: NodeJS.Platform;
  /** What the path is, for messages, e.g. `"path"`. @default 'path' */
  field?: string;
}

/** Windows device namespaces (`\\.\COM1`, `\\?\C:\…`): not plain files, and they skip checks. */
const windowsDevicePrefix = /^[\\/]{2}[.?][\\/]/;

/**
 * Checks a path a client sent for a file on the machine running the engine, by this machine's
 * rules, before anything touches the file system. INVALID_ARGUMENT (400) unless it is:
 *
 * - free of NUL characters (they cut the path short in native code),
 * - absolute here (`C:/x` looks absolute but is a relative path on Linux and macOS, `/x` is not
 *   absolute on Windows), so nothing depends on the engine's working folder,
 * - free of `..` segments, so the path names what it says rather than climbing out of it,
 * - on Windows, not in a device namespace (`\\.\`, `\\?\`).
 *
 * The contract's `absolutePath` only checks the form (the UI shares it and cannot know the
 * engine's platform); this is the check that counts. Returns `value` unchanged.
 */
export function checkLocalPath(value: string, options: LocalPathOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const field = options.field ?? 'path';
  const rules = platform === 'win32' ? path.win32 : path.posix;
  const refuse = (why: string, remedy: string) =>
    new EngineError('INVALID_ARGUMENT', `The ${field} ${why}. ${remedy}`, {
      details: { field, path: value.replaceAll('\0', '\\0') },
    });
  const example =
    platform === 'win32' ? 'C:\\Users\\you\\recording.wav' : '/home/you/recording.wav';

  if (value.includes('\0')) {
    throw refuse('contains a NUL character', 'Send the path without it.');
  }
  if (!rules.isAbsolute(value)) {
    throw refuse(
      `"${value}" is not an absolute path on the machine running the engine (${platform})`,
      `Give the full path there, e.g. ${example}.`,
    );
  }
  const segments = value.split(platform === 'win32' ? /[\\/]/ : '/');
  if (segments.includes('..')) {
    throw refuse(
      `"${value}" contains a ".." segment`,
      'Give the path the file is at, without "..".',
    );
  }
  if (platform === 'win32' && windowsDevicePrefix.test(value)) {
    throw refuse(`"${value}" names a device namespace`, `Give a plain file path, e.g. ${example}.`);
  }
  return value;
}
