import { describe, expect, it } from 'vitest';
import { fileNameFromDisposition } from './client';

describe('fileNameFromDisposition', () => {
  it('reads the plain and the RFC 5987 forms, preferring the encoded one', () => {
    expect(fileNameFromDisposition('attachment; filename="jfk.srt"')).toBe('jfk.srt');
    expect(fileNameFromDisposition('attachment; filename=notes.txt')).toBe('notes.txt');
    expect(
      fileNameFromDisposition(
        `attachment; filename="Interview.vtt"; filename*=UTF-8''Interv%C3%BC.vtt`,
      ),
    ).toBe('Intervü.vtt');
    expect(fileNameFromDisposition('inline')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
