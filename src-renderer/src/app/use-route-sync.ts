import { useEffect } from 'react';
import { hashToRoute, routeToHash, useUiStore } from './ui-store';

/** Follows the address bar: back/forward and typed hashes change the route. */
export function useRouteSync(): void {
  useEffect(() => {
    const follow = () => {
      const route = hashToRoute(window.location.hash);
      if (routeToHash(route) !== routeToHash(useUiStore.getState().route)) {
        useUiStore.setState({ route });
      }
    };
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, []);
}
