import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpackedPath } from './packaged-paths';

describe('unpackedPath', () => {
  const resources = join(sep, 'opt', 'Transcription Studio', 'resources');

  it('maps a file inside app.asar to its real twin in app.asar.unpacked', () => {
    expect(unpackedPath(join(resources, 'app.asar', 'out', 'main', 'worker.js'))).toBe(
      join(resources, 'app.asar.unpacked', 'out', 'main', 'worker.js'),
    );
  });

  it('leaves a development build, and a folder merely named like the archive, as they are', () => {
    const dev = join(sep, 'work', 'studio', 'out', 'main', 'worker.js');
    expect(unpackedPath(dev)).toBe(dev);
    const lookalike = join(sep, 'work', 'app.asarx', 'out', 'main', 'worker.js');
    expect(unpackedPath(lookalike)).toBe(lookalike);
    const already = join(resources, 'app.asar.unpacked', 'out', 'main', 'worker.js');
    expect(unpackedPath(already)).toBe(already);
  });
});
