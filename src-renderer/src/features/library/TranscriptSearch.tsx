import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchHit, SearchResult } from '../../../../src-main/contract/search';
import { useShortcut } from '../../app/use-shortcuts';
import { useUiStore } from '../../app/ui-store';
import { formatClock } from './format';
import { splitHighlights } from './highlight';
import { searchQuery } from './queries';
import { useDebounced } from './use-debounced';

function Snippet({ hit }: { hit: SearchHit }) {
  return (
    <span className="lib-hit-snippet">
      {splitHighlights(hit.snippet, hit.highlights).map((part, i) =>
        part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </span>
  );
}

/**
 * "12 hits", or "1,000+ hits, newest first" when the engine stopped counting: past 1,000
 * matches it shows the newest instead of ranking them all (see `SearchResult`).
 */
function hitCount({ total, totalIsLowerBound, order }: Omit<SearchResult, 'hits'>): string {
  const count = `${total.toLocaleString()}${totalIsLowerBound ? '+' : ''}`;
  const hits = `${count} hit${total === 1 && !totalIsLowerBound ? '' : 's'}`;
  return order === 'newest' ? `${hits}, newest first` : hits;
}

/**
 * Full-text search over every transcript (`/` focuses it): hits show file, time and the
 * segment with its matches marked; arrows move through them, Enter or a click opens the editor
 * at the hit.
 */
export function TranscriptSearch() {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const q = useDebounced(text.trim(), 250);
  const search = useQuery(searchQuery(q));
  const hits = q ? (search.data?.hits ?? []) : [];
  const current = Math.min(active, Math.max(0, hits.length - 1));
  const showing = open && q.length > 0;

  useShortcut({
    id: 'library.search',
    keys: '/',
    description: 'Search all transcripts',
    scope: 'library',
    handler: () => {
      input.current?.focus();
      input.current?.select();
    },
  });

  const go = (hit: SearchHit) => {
    setOpen(false);
    useUiStore
      .getState()
      .navigate({ view: 'editor', transcriptId: hit.transcriptId, atMs: hit.startMs });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(Math.max(0, Math.min(hits.length - 1, current + step)));
    } else if (event.key === 'Enter') {
      const hit = hits[current];
      if (showing && hit) {
        event.preventDefault();
        go(hit);
      }
    } else if (event.key === 'Escape') {
      if (showing) setOpen(false);
      else setText('');
    }
  };

  const status = search.isError
    ? search.error.message
    : search.isFetching && hits.length === 0
      ? 'Searching…'
      : hits.length === 0
        ? `No transcript contains “${q}”.`
        : hitCount(
            search.data ?? { total: hits.length, totalIsLowerBound: false, order: 'relevance' },
          );

  return (
    <div
      className="lib-search"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <input
        ref={input}
        type="search"
        role="combobox"
        aria-label="Search all transcripts"
        aria-expanded={showing}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showing && hits[current] ? `${listId}-${current}` : undefined}
        placeholder="Search all transcripts  /"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {showing && (
        <div className="lib-search-panel">
          <p className="muted lib-search-status" role="status">
            {status}
          </p>
          <ul id={listId} role="listbox" aria-label="Search hits">
            {hits.map((hit, i) => (
              <li
                key={`${hit.transcriptId}-${hit.segmentIndex}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === current}
                className="lib-hit"
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => go(hit)}
              >
                <span className="lib-hit-file">{hit.mediaName}</span>
                <span className="lib-hit-time">{formatClock(hit.startMs)}</span>
                <Snippet hit={hit} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
