import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../api/query-keys';
import { toastError, useToasts } from '../../app/toasts';
import { useUiStore } from '../../app/ui-store';
import { AddPathDialog } from './AddPathDialog';
import { DeleteDialog } from './DeleteDialog';
import { DropZone } from './DropZone';
import { ImportList } from './ImportList';
import { ImportActions } from './ImportActions';
import { cancelUpload, importFiles, importPath, transcribeItem, useImports } from './imports-store';
import type { ItemHandlers } from './ItemActions';
import {
  anyTranscribing,
  defaultFilters,
  deriveStatus,
  isUploadedCopy,
  lastJobByMedia,
  matchesStatus,
  sortOptions,
  type LibraryFilters,
} from './library-state';
import { LibraryToolbar, layouts } from './LibraryToolbar';
import { MediaGrid } from './MediaGrid';
import { MediaTable, type LibraryRow } from './MediaTable';
import {
  deleteMedia,
  jobsQuery,
  libraryListQuery,
  pageSize,
  systemQuery,
  type LibraryItem,
} from './queries';
import { TranscribeOfferDialog } from './TranscribeOfferDialog';
import { TranscriptSearch } from './TranscriptSearch';
import { useDebounced } from './use-debounced';
import { useStoredState } from './use-stored-state';
import './library.css';

const sortIds = sortOptions.map((s) => s.id);

type Pending = { kind: 'delete' | 'offer'; item: LibraryItem } | { kind: 'add-path' } | null;

/** The media library: import, browse, filter, search every transcript, open, delete. */
export function LibraryView() {
  const client = useQueryClient();
  const [layout, setLayout] = useStoredState('studio.library.layout', layouts, 'list');
  const [sort, setSort] = useStoredState('studio.library.sort', sortIds, 'newest');
  const [filters, setFilters] = useState<Omit<LibraryFilters, 'sort'>>(defaultFilters);
  const [pending, setPending] = useState<Pending>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const imports = useImports((s) => s.entries);
  const dispatchImport = useImports((s) => s.dispatch);
  const onFiles = (files: File[]) => importFiles(client, files);
  const pickFiles = () => fileInput.current?.click();

  const name = useDebounced(filters.name, 200);
  const media = useQuery(libraryListQuery({ sort, status: filters.status, name }));
  const items = media.data?.media;
  const transcribing = items ? anyTranscribing(items) : false;
  const jobs = useQuery({ ...jobsQuery(), refetchInterval: transcribing ? 2000 : false });
  const system = useQuery(systemQuery());

  const jobById = useMemo(
    () => new Map((jobs.data?.jobs ?? []).map((job) => [job.id, job])),
    [jobs.data],
  );
  const rows = useMemo<LibraryRow[]>(() => {
    const lastJobs = lastJobByMedia(jobs.data?.jobs ?? []);
    return (items ?? [])
      .map((item) => ({ item, status: deriveStatus(item, lastJobs.get(item.id)) }))
      .filter((row) => matchesStatus(filters.status, row.status.status));
  }, [items, jobs.data, filters.status]);

  const remove = useMutation({
    mutationFn: (item: LibraryItem) => deleteMedia(item.id),
    onSuccess: (_, item) => {
      setPending(null);
      useToasts.getState().show('success', `Deleted ${item.name}.`);
    },
    onError: toastError,
    onSettled: () =>
      Promise.all(
        [queryKeys.media.all, queryKeys.jobs.all, ['search'], queryKeys.transcripts.all].map(
          (queryKey) => client.invalidateQueries({ queryKey }),
        ),
      ),
  });

  const handlers: ItemHandlers = {
    onOpen: (item) => {
      if (item.transcript) {
        useUiStore.getState().navigate({ view: 'editor', transcriptId: item.transcript.id });
      } else if (item.job) {
        useToasts
          .getState()
          .show('info', `${item.name} is still being transcribed; it opens once text arrives.`);
      } else {
        setPending({ kind: 'offer', item });
      }
    },
    onTranscribe: (item) => void transcribeItem(client, item),
    onDelete: (item) => setPending({ kind: 'delete', item }),
  };

  const total = media.data?.total ?? 0;
  const filtered = filters.status !== 'any' || name.trim() !== '';
  const summary = !media.data
    ? ''
    : rows.length === total
      ? `${total} item${total === 1 ? '' : 's'}`
      : `${rows.length} of ${total} shown${total > pageSize ? ` (first ${pageSize})` : ''}`;

  return (
    <DropZone onFiles={onFiles}>
      <section className="view library" aria-labelledby="library-title">
        <header className="view-header lib-header">
          <h2 id="library-title">Library</h2>
          <TranscriptSearch />
          <ImportActions
            fileInput={fileInput}
            onFiles={onFiles}
            onAddPath={() => setPending({ kind: 'add-path' })}
          />
        </header>

        <ImportList
          entries={imports}
          jobOf={(jobId) => jobById.get(jobId)}
          onTranscribe={(entry) => {
            if (entry.mediaId) {
              void transcribeItem(client, { id: entry.mediaId, name: entry.name }, entry.key);
            }
          }}
          onCancel={cancelUpload}
          onDismiss={(key) => dispatchImport({ type: 'dismiss', key })}
          onClearFinished={() => dispatchImport({ type: 'clear-finished' })}
        />

        <LibraryToolbar
          filters={{ ...filters, sort }}
          onFilters={({ sort: nextSort, ...rest }) => {
            setSort(nextSort);
            setFilters(rest);
          }}
          layout={layout}
          onLayout={setLayout}
          summary={summary}
        />

        {media.isPending ? (
          <p className="muted">Loading the library…</p>
        ) : media.isError ? (
          <p role="alert" className="error">
            {media.error.message}
          </p>
        ) : total === 0 && !filtered ? (
          <div className="empty">
            <p className="empty-title">Your library is empty</p>
            <p>
              Drop audio or video files anywhere here, choose <strong>Import files</strong>, or use{' '}
              <strong>Add by path</strong> for a file already on the engine’s machine. Then
              transcribe it and open it in the editor.
            </p>
            <div className="row lib-empty-actions">
              <button type="button" className="primary" onClick={pickFiles}>
                Import files
              </button>
              <button type="button" onClick={() => setPending({ kind: 'add-path' })}>
                Add by path…
              </button>
            </div>
          </div>
        ) : rows.length === 0 ? (
          <div className="empty">
            <p>Nothing matches these filters.</p>
            <button type="button" onClick={() => setFilters(defaultFilters)}>
              Clear filters
            </button>
          </div>
        ) : layout === 'list' ? (
          <MediaTable rows={rows} handlers={handlers} />
        ) : (
          <MediaGrid rows={rows} handlers={handlers} />
        )}
      </section>

      {pending?.kind === 'delete' && (
        <DeleteDialog
          item={pending.item}
          uploaded={system.data ? isUploadedCopy(pending.item.path, system.data.dataDir) : null}
          busy={remove.isPending}
          onCancel={() => setPending(null)}
          onConfirm={() => remove.mutate(pending.item)}
        />
      )}
      {pending?.kind === 'offer' && (
        <TranscribeOfferDialog
          item={pending.item}
          onCancel={() => setPending(null)}
          onTranscribe={() => {
            setPending(null);
            void transcribeItem(client, pending.item);
          }}
        />
      )}
      {pending?.kind === 'add-path' && (
        <AddPathDialog
          onCancel={() => setPending(null)}
          onAdd={(path) => {
            setPending(null);
            importPath(client, path);
          }}
        />
      )}
    </DropZone>
  );
}
