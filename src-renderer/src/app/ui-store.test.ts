import { describe, expect, it } from 'vitest';
import { hashToRoute, routeToHash, type Route } from './ui-store';

describe('routes and hashes', () => {
  it.each<Route>([
    { view: 'library' },
    { view: 'live' },
    { view: 'overlay' },
    { view: 'editor', transcriptId: 'tr 1', atMs: 1500 },
  ])('%o survives the round trip through the address bar', (route) => {
    expect(hashToRoute(routeToHash(route))).toEqual(route);
  });

  it('reads the caption overlay route, and anything unknown as the library', () => {
    expect(hashToRoute('#/overlay')).toEqual({ view: 'overlay' });
    expect(hashToRoute('#/nowhere')).toEqual({ view: 'library' });
    expect(hashToRoute('')).toEqual({ view: 'library' });
  });
});
