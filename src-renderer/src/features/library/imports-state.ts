import type { JobView } from '../../../../src-main/contract/jobs';
import { errorText } from '../../../../src-main/common/remedies';

/** One file being imported (uploaded or added by path) and what became of it. */
export interface ImportEntry {
  key: string;
  name: string;
  /** uploading: bytes flow; checking: the engine probes it; added; failed. */
  state: 'uploading' | 'checking' | 'added' | 'failed';
  loaded: number;
  total: number;
  mediaId: string | null;
  error: string | null;
  /** Whether a failure was the engine refusing the file (4xx), not a broken connection. */
  rejected: boolean;
  /** Whether a transcription was asked for after the import. */
  transcribe: 'none' | 'starting' | 'started';
  /** The transcription job it started, followed to its end in the list. */
  jobId: string | null;
}

export type ImportAction =
  | { type: 'start'; key: string; name: string; total: number; upload: boolean }
  | { type: 'progress'; key: string; loaded: number; total: number }
  | { type: 'added'; key: string; mediaId: string; name: string }
  | { type: 'failed'; key: string; error: string; rejected: boolean }
  | { type: 'transcribe'; key: string; transcribe: ImportEntry['transcribe']; jobId?: string }
  | { type: 'dismiss'; key: string }
  | { type: 'clear-finished' };

const update = (
  entries: ImportEntry[],
  key: string,
  change: (entry: ImportEntry) => ImportEntry,
): ImportEntry[] => entries.map((e) => (e.key === key ? change(e) : e));

/** The import list's reducer: newest import first. */
export function importsReducer(entries: ImportEntry[], action: ImportAction): ImportEntry[] {
  switch (action.type) {
    case 'start':
      return [
        {
          key: action.key,
          name: action.name,
          state: action.upload ? 'uploading' : 'checking',
          loaded: 0,
          total: action.total,
          mediaId: null,
          error: null,
          rejected: false,
          transcribe: 'none',
          jobId: null,
        },
        ...entries.filter((e) => e.key !== action.key),
      ];
    case 'progress':
      return update(entries, action.key, (e) => ({
        ...e,
        loaded: action.loaded,
        total: action.total || e.total,
        state: action.total > 0 && action.loaded >= action.total ? 'checking' : e.state,
      }));
    case 'added':
      return update(entries, action.key, (e) => ({
        ...e,
        state: 'added',
        loaded: e.total,
        mediaId: action.mediaId,
        name: action.name,
      }));
    case 'failed':
      return update(entries, action.key, (e) => ({
        ...e,
        state: 'failed',
        error: action.error,
        rejected: action.rejected,
      }));
    case 'transcribe':
      return update(entries, action.key, (e) => ({
        ...e,
        transcribe: action.transcribe,
        jobId: action.jobId ?? null,
      }));
    case 'dismiss':
      return entries.filter((e) => e.key !== action.key);
    case 'clear-finished':
      return entries.filter((e) => e.state === 'uploading' || e.state === 'checking');
  }
}

/** Upload progress in whole percent; null while the size is unknown or the engine probes. */
export function importPercent(entry: ImportEntry): number | null {
  if (entry.state === 'added') return 100;
  if (entry.state === 'checking') return null;
  if (entry.total <= 0) return null;
  return Math.min(100, Math.floor((entry.loaded / entry.total) * 100));
}

/** What an import row says: a short label, its tone, the line beside it, whether a bar shows. */
export interface ImportStatus {
  label: string;
  tone: '' | 'active' | 'ok' | 'bad';
  detail: string;
  /** Whether the upload's bar shows: not for a file that was not taken. */
  bar: boolean;
}

/**
 * The row of an import: its upload, the engine's answer, then the transcription it started
 * (`job`, the latest state of `entry.jobId`) until that ends — never "queued" for a job that
 * failed meanwhile.
 */
export function importStatus(
  entry: ImportEntry,
  job?: Pick<JobView, 'state' | 'percent' | 'error'>,
): ImportStatus {
  switch (entry.state) {
    case 'uploading':
      return {
        label: 'Uploading',
        tone: 'active',
        detail: `Uploading ${importPercent(entry) ?? 0}%`,
        bar: true,
      };
    case 'checking':
      return { label: 'Checking', tone: 'active', detail: 'Checking the file…', bar: true };
    case 'failed':
      return {
        label: entry.rejected ? 'Rejected' : 'Failed',
        tone: 'bad',
        detail: entry.error ?? 'The file was not added.',
        bar: false,
      };
    case 'added':
      break;
  }
  if (entry.transcribe === 'none')
    return { label: 'Added', tone: 'ok', detail: 'Added', bar: true };
  if (entry.transcribe === 'starting' || !job || job.state === 'queued') {
    return {
      label: 'Added',
      tone: 'ok',
      detail:
        entry.transcribe === 'starting'
          ? 'Added — starting transcription…'
          : 'Added — transcription queued',
      bar: true,
    };
  }
  switch (job.state) {
    case 'running':
      return {
        label: 'Transcribing',
        tone: 'active',
        detail: `Added — transcribing ${Math.floor(job.percent)}%`,
        bar: true,
      };
    case 'completed':
      return { label: 'Transcribed', tone: 'ok', detail: 'Added and transcribed', bar: true };
    case 'failed':
      return {
        label: 'Transcription failed',
        tone: 'bad',
        detail: job.error ? errorText(job.error, 'ui') : 'The transcription failed.',
        bar: true,
      };
    case 'cancelled':
      return { label: 'Transcription cancelled', tone: '', detail: 'Added', bar: true };
  }
}
