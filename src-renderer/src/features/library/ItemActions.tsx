import type { DerivedStatus } from './library-state';
import type { LibraryItem } from './queries';

export interface ItemHandlers {
  onOpen(item: LibraryItem): void;
  onTranscribe(item: LibraryItem): void;
  onDelete(item: LibraryItem): void;
}

/** Open, Transcribe (when there is nothing yet or it failed) and Delete for one item. */
export function ItemActions({
  item,
  status,
  handlers,
}: {
  item: LibraryItem;
  status: DerivedStatus;
  handlers: ItemHandlers;
}) {
  const canTranscribe = status.status === 'untranscribed' || status.status === 'failed';
  return (
    <span className="lib-actions">
      {canTranscribe && (
        <button
          type="button"
          className="small"
          onClick={(event) => {
            // The button goes once the job is queued: keep the focus in the item, on Delete.
            (event.currentTarget.nextElementSibling as HTMLElement | null)?.focus();
            handlers.onTranscribe(item);
          }}
          aria-label={`Transcribe ${item.name}`}
        >
          {status.status === 'failed' ? 'Retry' : 'Transcribe'}
        </button>
      )}
      <button
        type="button"
        className="small lib-delete"
        onClick={() => handlers.onDelete(item)}
        aria-label={`Delete ${item.name}`}
      >
        Delete
      </button>
    </span>
  );
}
