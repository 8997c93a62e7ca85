import { useEffect, useRef } from 'react';
import { routeToHash, type Route } from './ui-store';

/** Focuses the view's heading (first `h2`) in `main`; false when there is none yet. */
function focusHeading(main: HTMLElement): boolean {
  const heading = main.querySelector<HTMLElement>('h2');
  if (!heading) return false;
  heading.tabIndex = -1;
  heading.focus();
  return true;
}

/**
 * When a route change takes the focused control away with the old view (the focus falls back
 * to the page), the new view's heading takes it: screen readers announce the view, and Tab goes
 * on from its top. A view still loading gets it once its heading appears.
 */
export function useViewFocus(route: Route): void {
  const first = useRef(true);
  const hash = routeToHash(route);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById('main');
    if (!main || document.activeElement !== document.body || focusHeading(main)) return;
    const observer = new MutationObserver(() => {
      if (document.activeElement !== document.body || focusHeading(main)) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [hash]);
}
