/**
 * `engine.transcriptions`: the one door to "transcribe this media". Every face goes through it —
 * the API's jobs route, the CLI, the OpenAI-compatible endpoint, the editor's "transcribe this
 * span again" — so the Settings defaults are applied in one place and the same media with the
 * same settings gives the same document whoever asked.
 */
import type {
  RetranscribeSpanJobResult,
  RetranscribeSpanParams,
  TranscribeJobResult,
  TranscribeParams,
  TranscribeRequestParams,
} from '../../contract/jobs';
import { transcribeParams } from '../../contract/jobs';
import { englishOnlyRequestProblem } from '../../common/whisper-languages';
import type { JobDefinition } from '../jobs/job-definition';
import type { JobRunner, JobSnapshot } from '../jobs/job-runner';
import type { JobLane } from '../store/jobs-repo';
import type { ModelManager } from '../models/model-manager';
import { EngineError } from '../errors';
import { parseOrThrow } from '../parse';
import type { Repositories } from '../store/repositories';
import type { SettingsService } from '../settings/settings-service';
import { transcribeFile, type FileTranscription, type TranscribeFileDeps } from './transcribe-file';
import { readyWhisperModel, withTranscribeDefaults } from './whisper-model';

export interface TranscriptionService {
  /**
   * The settings a transcription runs with: the request over the Settings defaults (model,
   * language, VAD, caption preset, speakers), checked against the contract. INVALID_ARGUMENT
   * naming the field; MODEL_UNKNOWN or MODEL_NOT_READY (with the model id and the remedy in its
   * details) when the model named, or the default, is not installed.
   */
  resolve(request?: TranscribeRequestParams): TranscribeParams;
  /** Queues the transcription of a library item (the batch lane unless asked otherwise). */
  submit(request: {
    mediaId: string;
    params?: TranscribeRequestParams;
    lane?: JobLane;
  }): JobSnapshot;
  /** Queues the re-transcription of one stretch of a transcript (the interactive lane). */
  submitSpan(params: RetranscribeSpanParams, options?: { lane?: JobLane }): JobSnapshot;
  /** The typed result of a completed transcription job (CONFLICT for any other job). */
  resultOf(job: JobSnapshot): TranscribeJobResult;
  /**
   * The transcript a completed transcription or span re-transcription made, or null for a job
   * that has none (not completed, or another kind).
   */
  transcriptOf(job: JobSnapshot): string | null;
  /**
   * Transcribes a file that is not in the library and stores nothing (the OpenAI endpoint).
   * `prompt` and `temperature` go to the decoder as they are.
   */
  transcribeFile(request: {
    file: string;
    params?: TranscribeRequestParams;
    prompt?: string;
    temperature?: number;
    lane?: JobLane;
    signal: AbortSignal;
  }): Promise<FileTranscription>;
}

export interface TranscriptionServiceDeps extends TranscribeFileDeps {
  models: ModelManager;
  repos: Pick<Repositories, 'transcripts' | 'models'>;
  settings: Pick<SettingsService, 'get'>;
  jobs: Pick<JobRunner, 'submit'>;
  /** The transcription job kind (transcribe-job.ts), for its typed results. */
  transcribeJob: Pick<JobDefinition<TranscribeParams, TranscribeJobResult>, 'resultOf'>;
  /** The span re-transcription job kind (retranscribe-span-job.ts). */
  spanJob: Pick<JobDefinition<RetranscribeSpanParams, RetranscribeSpanJobResult>, 'resultOf'>;
}

export function createTranscriptionService(deps: TranscriptionServiceDeps): TranscriptionService {
  const { models, settings, jobs, transcribeJob, spanJob } = deps;
  const resolve = (request: TranscribeRequestParams = {}) => {
    const params = parseOrThrow(
      transcribeParams,
      withTranscribeDefaults(request, models, settings),
      'transcription parameter',
    );
    // Refused now, not accepted and failed later: every face asks through here.
    const model = readyWhisperModel(models, params.modelId);
    const problem = englishOnlyRequestProblem(model, params);
    if (problem) {
      throw new EngineError('INVALID_ARGUMENT', problem.message, {
        details: {
          field: problem.field,
          modelId: model.id,
          ...(problem.field === 'language' && { accepted: ['auto', 'en'] }),
        },
      });
    }
    return params;
  };
  return {
    resolve,
    submit({ mediaId, params, lane }) {
      // Stored with the job as resolved, so that a retry (and the result cache) sees exactly
      // what ran, whatever the Settings say by then.
      return jobs.submit({
        kind: 'transcribe',
        mediaId,
        params: resolve(params),
        ...(lane ? { lane } : {}),
      });
    },
    submitSpan(params, { lane } = {}) {
      const transcript = deps.repos.transcripts.get(params.transcriptId);
      if (!transcript) {
        throw new EngineError('NOT_FOUND', `There is no transcript ${params.transcriptId}.`);
      }
      return jobs.submit({
        kind: 'retranscribe-span',
        // Every job names its media, so that removing the media stops it first.
        mediaId: transcript.mediaId,
        params: { ...params },
        ...(lane ? { lane } : {}),
      });
    },
    resultOf: (job) => transcribeJob.resultOf(job),
    transcriptOf(job) {
      if (job.state !== 'completed') return null;
      if (job.kind === 'transcribe') return transcribeJob.resultOf(job).transcriptId;
      if (job.kind === 'retranscribe-span') return spanJob.resultOf(job).transcriptId;
      return null;
    },
    async transcribeFile({ params, lane, ...rest }) {
      return transcribeFile(deps, {
        ...rest,
        params: resolve(params),
        ...(lane && lane !== 'live' ? { lane } : {}),
      });
    },
  };
}
