import { sep } from 'node:path';

/**
 * The real file behind a path inside the installed app's ASAR archive: electron-builder keeps the
 * files listed in build/electron-builder.yml's `asarUnpack` as real files in `app.asar.unpacked`
 * beside `app.asar`, at the same relative path. Worker processes are started from there, so they,
 * the chunks and packages they import and the native libraries they load are plain files (a
 * native library cannot be loaded from inside an archive, and ggml's backend loader reads its
 * folder with the C library). A path outside an archive (a development build) is returned as is.
 */
export function unpackedPath(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  const at = path.indexOf(marker);
  if (at === -1) return path;
  return `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + marker.length)}`;
}
