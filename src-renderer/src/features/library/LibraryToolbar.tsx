import {
  sortOptions,
  statusFilters,
  statusLabel,
  type LibraryFilters,
  type SortId,
  type StatusFilter,
} from './library-state';

export const layouts = ['list', 'grid'] as const;
export type Layout = (typeof layouts)[number];

interface Props {
  filters: LibraryFilters;
  onFilters(filters: LibraryFilters): void;
  layout: Layout;
  onLayout(layout: Layout): void;
  /** "3 of 12 items" */
  summary: string;
}

/** Name filter, status filter, sort and the list/grid switch. */
export function LibraryToolbar({ filters, onFilters, layout, onLayout, summary }: Props) {
  return (
    <div className="lib-toolbar" role="group" aria-label="Library filters">
      <input
        type="search"
        placeholder="Filter by name"
        aria-label="Filter by name"
        value={filters.name}
        onChange={(e) => onFilters({ ...filters, name: e.target.value })}
      />
      <label>
        Status{' '}
        <select
          value={filters.status}
          onChange={(e) => onFilters({ ...filters, status: e.target.value as StatusFilter })}
        >
          {statusFilters.map((s) => (
            <option key={s} value={s}>
              {s === 'any' ? 'All' : statusLabel[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort{' '}
        <select
          value={filters.sort}
          onChange={(e) => onFilters({ ...filters, sort: e.target.value as SortId })}
        >
          {sortOptions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <span className="muted lib-summary" aria-live="polite">
        {summary}
      </span>
      <span className="lib-layout" role="group" aria-label="Layout">
        {layouts.map((l) => (
          <button key={l} type="button" aria-pressed={layout === l} onClick={() => onLayout(l)}>
            {l === 'list' ? 'List' : 'Grid'}
          </button>
        ))}
      </span>
    </div>
  );
}
