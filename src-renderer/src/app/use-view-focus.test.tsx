// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from './ui-store';
import { useViewFocus } from './use-view-focus';

/** A shell with one view per route; the queue view shows its heading only once "loaded". */
function Harness({ route, loaded = true }: { route: Route; loaded?: boolean }) {
  useViewFocus(route);
  return (
    <>
      <a href="#/queue">Queue</a>
      <main id="main">
        {route.view === 'library' ? (
          <>
            <h2>Library</h2>
            <button type="button">Open</button>
          </>
        ) : (
          loaded && <h2>Queue</h2>
        )}
      </main>
    </>
  );
}

afterEach(cleanup);

describe('useViewFocus', () => {
  it('leaves the focus alone on the first view', () => {
    render(<Harness route={{ view: 'library' }} />);
    expect(document.activeElement).toBe(document.body);
  });

  it('moves the focus lost with the old view to the new view’s heading', () => {
    const { rerender } = render(<Harness route={{ view: 'library' }} />);
    screen.getByRole('button', { name: 'Open' }).focus();
    rerender(<Harness route={{ view: 'queue' }} />);
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Queue' }));
  });

  it('waits for the heading of a view that is still loading', async () => {
    const { rerender } = render(<Harness route={{ view: 'library' }} />);
    screen.getByRole('button', { name: 'Open' }).focus();
    rerender(<Harness route={{ view: 'queue' }} loaded={false} />);
    expect(document.activeElement).toBe(document.body);
    rerender(<Harness route={{ view: 'queue' }} loaded />);
    // MutationObserver callbacks run as a microtask.
    await act(() => Promise.resolve());
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Queue' }));
  });

  it('keeps the focus where it is when it survived the change (e.g. a sidebar link)', () => {
    const { rerender } = render(<Harness route={{ view: 'library' }} />);
    const link = screen.getByRole('link', { name: 'Queue' });
    link.focus();
    rerender(<Harness route={{ view: 'queue' }} />);
    expect(document.activeElement).toBe(link);
  });
});
