import { stat } from 'node:fs/promises';
import { exportParams, type ExportParams } from '../../contract/jobs';
import type { TranscriptDocument } from '../../contract/document';
import { presetRules } from '../captions/presets';
import { EngineError } from '../errors';
import { exportStem, resolveExportTarget, type ExportTarget } from '../exports/export-target';
import { writeExport } from '../exports/index';
import type { JobContext, JobHandler } from '../jobs/job-runner';
import type { SettingsService } from '../settings/settings-service';
import type { ExportedFile } from '../store/exports-repo';
import type { Repositories } from '../store/repositories';

export interface ExportJobResult {
  path: string;
  format: ExportParams['format'];
  bytes: number;
  /** Which file was written, so that a later export knows it may replace it. */
  file: ExportedFile;
}

/** Export jobs: for batch exports and exports of very long transcripts that take a while. */
export interface ExportJobs {
  /**
   * Checks an export request before it is queued: the transcript exists and the file may be
   * written (see export-target.ts). Throws the EngineError a client should see.
   */
  check(params: ExportParams): Promise<ExportTarget>;
  readonly handler: JobHandler;
}

export function createExportJobs({
  repos,
  settings,
  exportsDir,
}: {
  repos: Repositories;
  settings: SettingsService;
  /** The data folder's exports folder. */
  exportsDir: string;
}): ExportJobs {
  const transcriptOf = (id: string) => {
    const transcript = repos.transcripts.get(id);
    if (!transcript) throw new EngineError('NOT_FOUND', `There is no transcript ${id}.`);
    return transcript;
  };

  const check = (params: ExportParams) => {
    const transcript = transcriptOf(params.transcriptId);
    return resolveExportTarget(
      {
        path: params.path,
        defaultName: exportStem(repos.media.get(transcript.mediaId)?.name),
        format: params.format,
        overwrite: params.overwrite,
      },
      {
        exportsDir,
        allowedFolders: () => settings.get().exportFolders,
        isStudioFile: (path, stats) =>
          repos.exports
            .writtenAt(path)
            .some(
              (file) =>
                file.dev === stats.dev && file.ino === stats.ino && file.mtimeMs === stats.mtimeMs,
            ),
      },
    );
  };

  const handler = async (ctx: JobContext): Promise<ExportJobResult> => {
    ctx.plan([{ stage: 'export', weight: 1 }]);
    ctx.progress('export', 0);
    const parsed = exportParams.safeParse(ctx.job.params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Invalid export parameter ${issue.path.join('.')}: ${issue.message}.`,
      );
    }
    const params = parsed.data;
    // Again, now: the folders, links and files may have changed since the job was submitted.
    const target = await check(params);
    const transcript = transcriptOf(params.transcriptId);
    await writeExport(
      transcript.document as TranscriptDocument,
      params.format,
      target.file,
      params.preset ? { rules: presetRules(params.preset) } : {},
      { replace: target.replaces !== 'nothing' },
    );
    const written = await stat(target.file);
    ctx.progress('export', 1);
    return {
      path: target.file,
      format: params.format,
      bytes: written.size,
      file: { path: target.file, dev: written.dev, ino: written.ino, mtimeMs: written.mtimeMs },
    };
  };

  return { check, handler };
}
