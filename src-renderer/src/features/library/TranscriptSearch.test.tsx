// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SearchResult } from '../../../../src-main/contract/search';
import { useShortcuts } from '../../app/shortcuts';
import { useUiStore } from '../../app/ui-store';
import { TranscriptSearch } from './TranscriptSearch';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  transcriptId: 't1',
  mediaId: 'm1',
  mediaName: 'interview.wav',
  segmentIndex: 0,
  startMs: 65_000,
  endMs: 70_000,
  speaker: null,
  text: 'ask not what',
  snippet: 'ask not what',
  highlights: [[0, 3]],
  ...over,
});

const hits = [
  hit({}),
  hit({
    transcriptId: 't2',
    mediaName: '<b>talk</b>.mp4',
    segmentIndex: 4,
    startMs: 3_725_000,
    snippet: 'they ask <i>you</i>',
    highlights: [[5, 8]],
  }),
];

const smallResult: SearchResult = { hits, total: 2, totalIsLowerBound: false, order: 'relevance' };

function renderSearch(result: SearchResult = smallResult) {
  const fetchMock = vi.fn((_url: string) =>
    Promise.resolve(new Response(JSON.stringify(result), { status: 200 })),
  );
  vi.stubGlobal('fetch', fetchMock);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <TranscriptSearch />
    </QueryClientProvider>,
  );
  return { fetchMock, input: screen.getByRole('combobox', { name: 'Search all transcripts' }) };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  useUiStore.setState({ route: { view: 'library' } });
  useShortcuts.setState({ shortcuts: [] });
});

describe('TranscriptSearch', () => {
  it('shows file, time and the matches marked, as text', async () => {
    const { input, fetchMock } = renderSearch();
    fireEvent.change(input, { target: { value: 'ask' } });
    const options = await screen.findAllByRole('option');
    expect(options).toHaveLength(2);
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain('/v1/search?q=ask');
    expect(within(options[0]!).getByText('1:05')).toBeTruthy();
    expect(within(options[1]!).getByText('1:02:05')).toBeTruthy();
    expect(within(options[1]!).getByText('<b>talk</b>.mp4')).toBeTruthy();
    expect([...options[1]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['ask']);
    // Markup in a snippet stays text: no element is made from it.
    expect(options[1]!.querySelector('i')).toBeNull();
    expect(options[1]!.textContent).toContain('<i>you</i>');
    expect(screen.getByRole('status').textContent).toBe('2 hits');
  });

  it('says when more match than were counted, and that the hits are newest first', async () => {
    const { input } = renderSearch({ hits, total: 1000, totalIsLowerBound: true, order: 'newest' });
    fireEvent.change(input, { target: { value: 'the' } });
    await screen.findAllByRole('option');
    expect(screen.getByRole('status').textContent).toBe(
      `${(1000).toLocaleString()}+ hits, newest first`,
    );
  });

  it('moves through hits with the arrows and opens one with Enter', async () => {
    const { input } = renderSearch();
    fireEvent.change(input, { target: { value: 'ask' } });
    await screen.findAllByRole('option');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    await waitFor(() =>
      expect(screen.getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true'),
    );
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[1]?.id);
    fireEvent.keyDown(input, { key: 'ArrowDown' }); // stays on the last
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(useUiStore.getState().route).toEqual({
      view: 'editor',
      transcriptId: 't2',
      atMs: 3_725_000,
    });
  });

  it('opens a hit on click and registers `/` to focus the box', async () => {
    const { input } = renderSearch();
    const slash = useShortcuts.getState().shortcuts.find((s) => s.id === 'library.search');
    expect(slash).toMatchObject({ keys: '/', scope: 'library' });
    slash?.handler?.(new KeyboardEvent('keydown', { key: '/' }));
    expect(document.activeElement).toBe(input);

    fireEvent.change(input, { target: { value: 'ask' } });
    const [first] = await screen.findAllByRole('option');
    fireEvent.click(first!);
    expect(useUiStore.getState().route).toEqual({
      view: 'editor',
      transcriptId: 't1',
      atMs: 65_000,
    });
  });
});
