import { describe, expect, it } from 'vitest';
import { isEngineError } from './errors';
import { checkLocalPath } from './local-path';

const refusal = (value: string, platform: NodeJS.Platform) => {
  try {
    checkLocalPath(value, { platform });
  } catch (error) {
    if (isEngineError(error, 'INVALID_ARGUMENT')) return error.message;
    throw error;
  }
  return null;
};

describe('checkLocalPath', () => {
  it('accepts plain absolute paths by the rules of the platform it is told', () => {
    for (const ok of ['/home/u/a.wav', '/a b/ü…/x..y/.hidden/...', '/']) {
      expect(refusal(ok, 'linux'), ok).toBeNull();
      expect(refusal(ok, 'darwin'), ok).toBeNull();
    }
    for (const ok of ['C:\\Users\\u\\a.wav', 'c:/Users/u/a.wav', '\\\\server\\share\\a.wav']) {
      expect(refusal(ok, 'win32'), ok).toBeNull();
    }
    expect(checkLocalPath('/x/y.wav', { platform: 'linux' })).toBe('/x/y.wav');
  });

  it('refuses what is not absolute there: a drive on POSIX, a bare root on Windows', () => {
    for (const [value, platform] of [
      ['C:/../../x', 'linux'],
      ['C:\\x.wav', 'darwin'],
      ['\\\\server\\share\\x.wav', 'linux'],
      ['x.wav', 'linux'],
      ['./x.wav', 'linux'],
      ['', 'linux'],
      ['C:x.wav', 'win32'],
      ['x\\y.wav', 'win32'],
    ] as const) {
      expect(refusal(value, platform), `${platform} ${value}`).toMatch(
        new RegExp(`not an absolute path on the machine running the engine \\(${platform}\\)`),
      );
    }
  });

  it('refuses `..` segments (either separator on Windows), NUL and Windows device paths', () => {
    expect(refusal('/a/../b', 'linux')).toMatch(/contains a "\.\." segment/);
    expect(refusal('/a/..', 'linux')).toMatch(/"\.\." segment/);
    expect(refusal('C:\\a\\..\\b', 'win32')).toMatch(/"\.\." segment/);
    expect(refusal('C:/a\\../b', 'win32')).toMatch(/"\.\." segment/);
    // On POSIX a backslash is part of a name, so `a\..\b` is one odd but harmless name.
    expect(refusal('/a\\..\\b', 'linux')).toBeNull();
    expect(refusal('/a/x.wav\0.txt', 'linux')).toMatch(/NUL character/);
    expect(refusal('\\\\.\\COM1', 'win32')).toMatch(/device namespace/);
    expect(refusal('\\\\?\\C:\\x.wav', 'win32')).toMatch(/device namespace/);
  });
});
