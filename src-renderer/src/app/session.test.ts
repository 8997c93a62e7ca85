// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { takeTokenFromUrl, tokenFromText } from '../api/client';

const token = 'sts_AbC-12_xyz';

describe('tokenFromText: what a person pastes into the sign-in field', () => {
  it('takes the token from the whole printed link, the whole printed line, or the token alone', () => {
    expect(tokenFromText(`http://127.0.0.1:8770/#token=${token}`)).toBe(token);
    expect(tokenFromText(`Open the studio: http://127.0.0.1:8770/#token=${token}\n`)).toBe(token);
    expect(tokenFromText(`  ${token} `)).toBe(token);
    expect(tokenFromText(`http://127.0.0.1:8770/#/library&token=${token}`)).toBe(token);
  });

  it('finds nothing in a bare address or other text', () => {
    expect(tokenFromText('http://127.0.0.1:8770/')).toBeUndefined();
    expect(tokenFromText('hello')).toBeUndefined();
    expect(tokenFromText('#token=%E0%A4%A')).toBeUndefined();
  });
});

describe('takeTokenFromUrl', () => {
  it('takes the token out of the address bar at once and keeps the path', () => {
    window.history.replaceState(null, '', `/#token=${token}`);
    expect(takeTokenFromUrl()).toBe(token);
    expect(window.location.hash).toBe('');
    expect(window.location.pathname).toBe('/');
  });

  it('leaves a route fragment alone', () => {
    window.history.replaceState(null, '', '/#/editor/abc');
    expect(takeTokenFromUrl()).toBeUndefined();
    expect(window.location.hash).toBe('#/editor/abc');
  });
});

describe('the desktop app (Electron preload token)', () => {
  it('is signed in from the start with its bearer token, without asking the engine', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url);
      return Promise.reject(new Error('no network in this test'));
    });
    Object.assign(window, { studio: { apiToken: 'sts_desktop', apiBase: 'http://127.0.0.1:1' } });
    try {
      vi.resetModules();
      const { startSession, useSession } = await import('./session');
      const { authHeaders } = await import('../api/client');
      startSession();
      expect(useSession.getState().status).toMatchObject({
        state: 'signed-in',
        info: { via: 'bearer' },
      });
      expect(authHeaders()).toEqual({ authorization: 'Bearer sts_desktop' });
      expect(calls).toEqual([]);
    } finally {
      Reflect.deleteProperty(window, 'studio');
      vi.unstubAllGlobals();
    }
  });
});
