import type * as FsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { wrapDocument } from '../../common/captions/wrap';
import { socialRules } from '../captions/presets';
import { diskError, EngineError } from '../errors';
import { engineRejection } from '../test-support/engine-rejection';
import { sampleDocument } from './__fixtures__/sample-document';
import { exportCsv } from './csv';
import { exportDocument, exportFormats, writeExport } from './index';
import { exportSrt } from './srt';
import { exportTxt } from './txt';
import { exportVtt } from './vtt';

/** Makes the next write of a temporary export file write half its data, then fail with `code`. */
const failNextTempWrite = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const writeFile: typeof actual.writeFile = async (file, data, options) => {
    const code = failNextTempWrite.code;
    if (code && String(file).endsWith('.tmp')) {
      failNextTempWrite.code = undefined;
      await actual.writeFile(file, String(data).slice(0, 10), options);
      throw Object.assign(new Error(`${code}: simulated write failure`), { code });
    }
    return actual.writeFile(file, data, options);
  };
  return { ...actual, writeFile };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'exports-test-'));
});
afterEach(async () => {
  failNextTempWrite.code = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('exportDocument', () => {
  it('lists the formats', () => {
    expect(exportFormats).toEqual(['srt', 'vtt', 'txt', 'json', 'csv', 'docx']);
  });

  it('dispatches to each format with its options', async () => {
    const doc = sampleDocument();
    expect(await exportDocument(doc, 'srt')).toBe(exportSrt(doc));
    expect(await exportDocument(doc, 'vtt', { voiceTags: false })).toBe(
      exportVtt(doc, { voiceTags: false }),
    );
    expect(await exportDocument(doc, 'txt', { style: 'speakers' })).toBe(
      exportTxt(doc, { style: 'speakers' }),
    );
    expect(await exportDocument(doc, 'csv')).toBe(exportCsv(doc));
    expect(JSON.parse(String(await exportDocument(doc, 'json', { indent: 0 })))).toMatchObject({
      version: 1,
    });
    expect(Buffer.isBuffer(await exportDocument(doc, 'docx'))).toBe(true);
  });

  it('wraps on the fly when given caption rules', async () => {
    const doc = sampleDocument();
    const social = socialRules();
    const wrapped = await exportDocument(doc, 'srt', { rules: social });
    expect(wrapped).toBe(exportSrt(wrapDocument(doc, social)));
    expect(wrapped).not.toBe(exportSrt(doc));
  });

  it('rejects an unknown format, naming the valid ones', async () => {
    const error = await engineRejection(
      exportDocument(sampleDocument(), 'pdf'),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toBe(
      'Unknown export format "pdf". Valid formats: srt, vtt, txt, json, csv, docx.',
    );
    expect(error.details).toEqual({ format: 'pdf', valid: exportFormats });
  });
});

describe('writeExport', () => {
  it('never replaces something that is not a regular file (a device, a folder)', async () => {
    const { statSync } = await import('node:fs');
    await engineRejection(writeExport(sampleDocument(), 'srt', '/dev/null'), 'INVALID_ARGUMENT');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const error = await engineRejection(
      writeExport(sampleDocument(), 'srt', tmpdir()),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toMatch(/exists and is not a regular file/);
  });

  it('writes the export, replacing an existing file, and leaves nothing else', async () => {
    const file = path.join(dir, 'out.vtt');
    await writeFile(file, 'old');
    await writeExport(sampleDocument(), 'vtt', file);
    expect(await readFile(file, 'utf8')).toBe(exportVtt(sampleDocument()));
    expect(await readdir(dir)).toEqual(['out.vtt']);
    const docx = path.join(dir, 'out.docx');
    await writeExport(sampleDocument(), 'docx', docx);
    expect((await readFile(docx)).subarray(0, 2).toString()).toBe('PK');
  });

  it('rejects an unknown format without touching the disk', async () => {
    await engineRejection(
      writeExport(sampleDocument(), 'odt', path.join(dir, 'x.odt')),
      'INVALID_ARGUMENT',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  for (const code of ['ENOSPC', 'EDQUOT']) {
    it(`reports ${code} as DISK_FULL and leaves no partial file`, async () => {
      const file = path.join(dir, 'out.srt');
      failNextTempWrite.code = code;
      const error = await engineRejection(writeExport(sampleDocument(), 'srt', file), 'DISK_FULL');
      expect(error.details).toEqual({ path: file });
      expect((error.cause as NodeJS.ErrnoException).code).toBe(code);
      expect(await readdir(dir)).toEqual([]);
    });
  }

  it('keeps the old file whole when the write fails', async () => {
    const file = path.join(dir, 'out.srt');
    await writeFile(file, 'previous export');
    failNextTempWrite.code = 'ENOSPC';
    await engineRejection(writeExport(sampleDocument(), 'srt', file), 'DISK_FULL');
    expect(await readFile(file, 'utf8')).toBe('previous export');
    expect(await readdir(dir)).toEqual(['out.srt']);
  });

  it('passes other errors through unchanged', async () => {
    const missing = path.join(dir, 'no-such-folder', 'out.srt');
    const error = await writeExport(sampleDocument(), 'srt', missing).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(EngineError);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('diskError on a real full device', () => {
  it('maps the ENOSPC from writing /dev/full to DISK_FULL', async () => {
    const error = await writeFile('/dev/full', 'x').catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(diskError(error, '/dev/full')?.code).toBe('DISK_FULL');
  });
});
