import { formatDate } from '../../../../src-main/common/format-date';
import { formatDuration, formatSpeakers } from './format';
import { ItemActions, type ItemHandlers } from './ItemActions';
import { OpenButton, type LibraryRow } from './MediaTable';
import { StatusBadge } from './StatusBadge';

/** The library as cards. */
export function MediaGrid({ rows, handlers }: { rows: LibraryRow[]; handlers: ItemHandlers }) {
  return (
    <ul className="lib-grid">
      {rows.map(({ item, status }) => (
        <li key={item.id} className="lib-card" data-media-id={item.id} data-status={status.status}>
          <OpenButton item={item} onOpen={handlers.onOpen} />
          <StatusBadge status={status} name={item.name} />
          <dl>
            <dt>Duration</dt>
            <dd>{formatDuration(item.durationSec)}</dd>
            <dt>Language</dt>
            <dd>{item.transcript?.language ?? '—'}</dd>
            <dt>Speakers</dt>
            <dd>{formatSpeakers(item.transcript?.speakerCount)}</dd>
            <dt>Added</dt>
            <dd>{formatDate(item.createdAt)}</dd>
          </dl>
          <ItemActions item={item} status={status} handlers={handlers} />
        </li>
      ))}
    </ul>
  );
}
