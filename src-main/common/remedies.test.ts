import { describe, expect, it } from 'vitest';
import { cliCommand, errorText, fixes, remedyFor, type Face } from './remedies';

const faces: Face[] = ['ui', 'cli', 'api'];
/** What each face's words look like, and the words of the other faces it must not use. */
const foreign: Record<Face, RegExp> = {
  ui: /npx studio|npm run|\/v1\//,
  cli: /Open Models|under Models|\/v1\//,
  api: /Open Models|under Models|npm run/,
};

describe('remedyFor', () => {
  it.each(fixes.flatMap((fix) => faces.map((face) => [fix, face] as const)))(
    '%s for the %s names only that face’s actions',
    (fix, face) => {
      const remedy = remedyFor(
        { code: 'MODEL_NOT_READY', details: { fix, modelId: 'whisper-base.en' } },
        face,
      );
      expect(remedy).toMatch(/\.$/);
      expect(remedy).not.toMatch(foreign[face]);
    },
  );

  it('words a missing catalog model per face, with its id', () => {
    const error = {
      code: 'MODEL_NOT_READY',
      details: { modelId: 'whisper-base.en', fix: 'download-model' },
    };
    expect(remedyFor(error, 'ui')).toBe(
      'Open Models and download "whisper-base.en", or import its file there.',
    );
    expect(remedyFor(error, 'cli')).toBe(
      'Download it with `npx studio models download whisper-base.en`, or import its file with `npx studio models import <file>`.',
    );
    expect(remedyFor(error, 'api')).toBe(
      'Download it with POST /v1/models/whisper-base.en/download, or import its file with POST /v1/models/import.',
    );
  });

  it('takes the remedy a code implies when the error names none', () => {
    expect(remedyFor({ code: 'MODEL_UNKNOWN' }, 'cli')).toBe(
      '`npx studio models list` lists them.',
    );
    expect(remedyFor({ code: 'UNAUTHORIZED', details: null }, 'api')).toMatch(
      /npx studio token create --scopes/,
    );
    expect(remedyFor({ code: 'DISK_FULL', details: { path: '/x' } }, 'ui')).toBeUndefined();
    expect(remedyFor({ code: 'MODEL_NOT_READY', details: { fix: 'no-such-fix' } }, 'ui')).toBe(
      undefined,
    );
  });

  it('names the URL to fetch by hand when the model server is unreachable', () => {
    const error = {
      code: 'MODEL_OFFLINE',
      details: { url: 'https://example.org/m.bin', fix: 'import-model' },
    };
    expect(remedyFor(error, 'ui')).toBe(
      'Download https://example.org/m.bin in a browser, then import it under Models ("Import a model file…").',
    );
    expect(remedyFor(error, 'cli')).toContain('`npx studio models import <file>`');
  });

  it('repeats the CLI data folder in the commands it names', () => {
    expect(cliCommand('models list', { dataDir: '/tmp/my data' })).toBe(
      "npx studio --data-dir '/tmp/my data' models list",
    );
    expect(remedyFor({ code: 'MODEL_UNKNOWN' }, 'cli', { dataDir: '/srv/studio' })).toBe(
      '`npx studio --data-dir /srv/studio models list` lists them.',
    );
  });
});

describe('errorText', () => {
  it('is the message followed by the remedy, or the message alone', () => {
    expect(errorText({ code: 'MODEL_UNKNOWN', message: 'There is no model "x".' }, 'api')).toBe(
      'There is no model "x". GET /v1/models lists them.',
    );
    expect(errorText({ code: 'DISK_FULL', message: 'Not enough disk space.' }, 'ui')).toBe(
      'Not enough disk space.',
    );
  });
});
