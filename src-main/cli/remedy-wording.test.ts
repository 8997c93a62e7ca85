/**
 * Messages name the actions of the face the person is using: the engine and the API say what
 * happened and leave "what to do" to remedies.ts; no text anywhere names the old `npm run cli`
 * or a bare `studio` command. Every string and JSX text of the sources is read with the
 * TypeScript parser (comments are not messages).
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sources, texts } from './__fixtures__/source-texts';

const root = join(import.meta.dirname, '..', '..');

/** `where`'s texts that match `pattern`, as "file: text". */
function offending(where: string, pattern: RegExp, except: string[] = []): string[] {
  return sources(join(root, where))
    .filter((file) => !except.includes(relative(root, file)))
    .flatMap((file) =>
      texts(file)
        .filter((text) => pattern.test(text))
        .map((text) => `${relative(root, file)}: ${text}`),
    );
}

describe('messages name the actions of the face the person is using', () => {
  it('the engine and the API name no command and no place in the app', () => {
    const otherFaces = /npm run cli|npx studio|`studio |under Models|Models in the app|Open Models/;
    expect(offending('src-main/engine', otherFaces)).toEqual([]);
    expect(offending('src-main/api', otherFaces)).toEqual([]);
  });

  it('the CLI names its commands as `npx studio …` and no place in the app', () => {
    expect(offending('src-main/cli', /npm run cli|`studio |under Models|Open Models/)).toEqual([]);
  });

  it('the app names no `npm run cli` and no bare `studio` command', () => {
    expect(offending('src-renderer/src', /npm run cli|`studio /)).toEqual([]);
  });

  it('only remedies.ts words remedies for every face', () => {
    expect(
      offending('src-main/common', /npx studio|Open Models|\/v1\/models/, [
        'src-main/common/remedies.ts',
      ]),
    ).toEqual([]);
  });
});
