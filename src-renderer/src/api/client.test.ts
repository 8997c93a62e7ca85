import { describe, expect, it } from 'vitest';
import { apiErrorFrom, fileNameFromDisposition } from './client';

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

describe('apiErrorFrom', () => {
  it('names the request id of a server error, which finds its line in the engine log', () => {
    const crashed = apiErrorFrom(500, {
      error: {
        code: 'WORKER_CRASHED',
        message: 'The transcription worker crashed (signal SIGSEGV).',
        details: { signal: 'SIGSEGV', requestId: '3fa9c2d1' },
      },
    });
    expect(crashed).toMatchObject({ status: 500, code: 'WORKER_CRASHED' });
    expect(crashed.message).toBe(
      'The transcription worker crashed (signal SIGSEGV). (Request id 3fa9c2d1 in the engine log.)',
    );
    // Said once when the message already gives it; a client error has none.
    const internal = apiErrorFrom(500, {
      error: {
        code: 'INTERNAL',
        message: 'Internal error (request id 3fa9c2d1). The details are in the engine log.',
        details: { requestId: '3fa9c2d1' },
      },
    });
    expect(internal.message).toBe(
      'Internal error (request id 3fa9c2d1). The details are in the engine log.',
    );
    const notFound = apiErrorFrom(404, { error: { code: 'NOT_FOUND', message: 'No such media.' } });
    expect(notFound.message).toBe('No such media.');
  });

  it('words the remedy for the app, not in the terms of the API or the CLI', () => {
    const refused = apiErrorFrom(409, {
      error: {
        code: 'MODEL_NOT_READY',
        message:
          'Model "whisper-base.en" is not installed. Download it with POST /v1/models/whisper-base.en/download, or import its file with POST /v1/models/import.',
        remedy:
          'Download it with POST /v1/models/whisper-base.en/download, or import its file with POST /v1/models/import.',
        details: { modelId: 'whisper-base.en', fix: 'download-model' },
      },
    });
    expect(refused).toMatchObject({ status: 409, code: 'MODEL_NOT_READY' });
    expect(refused.message).toBe(
      'Model "whisper-base.en" is not installed. Open Models and download "whisper-base.en", or import its file there.',
    );
  });
});
