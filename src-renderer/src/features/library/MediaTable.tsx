import { formatDate } from '../../../../src-main/common/format-date';
import { formatDuration, formatSpeakers } from './format';
import { ItemActions, type ItemHandlers } from './ItemActions';
import type { DerivedStatus } from './library-state';
import type { LibraryItem } from './queries';
import { StatusBadge } from './StatusBadge';
import { Icon } from '../../app/icons';

export interface LibraryRow {
  item: LibraryItem;
  status: DerivedStatus;
}

/** Opens an item from its name: the editor, or the offer to transcribe. */
export function OpenButton({
  item,
  onOpen,
}: {
  item: LibraryItem;
  onOpen: ItemHandlers['onOpen'];
}) {
  return (
    <button
      type="button"
      className="lib-open"
      onClick={() => onOpen(item)}
      aria-label={`Open ${item.name}`}
      title={item.path}
    >
      <Icon name={item.hasVideo ? 'video' : 'audio'} size={16} className="lib-kind" />
      {item.name}
    </button>
  );
}

/** The library as a table, one row per item. */
export function MediaTable({ rows, handlers }: { rows: LibraryRow[]; handlers: ItemHandlers }) {
  return (
    <table className="table lib-table">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col">Status</th>
          <th scope="col">Language</th>
          <th scope="col">Speakers</th>
          <th scope="col">Added</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ item, status }) => (
          <tr key={item.id} data-media-id={item.id} data-status={status.status}>
            <td>
              <OpenButton item={item} onOpen={handlers.onOpen} />
            </td>
            <td className="num">{formatDuration(item.durationSec)}</td>
            <td>
              <StatusBadge status={status} name={item.name} />
            </td>
            <td>{item.transcript?.language ?? '—'}</td>
            <td>{formatSpeakers(item.transcript?.speakerCount)}</td>
            <td>{formatDate(item.createdAt)}</td>
            <td>
              <ItemActions item={item} status={status} handlers={handlers} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
