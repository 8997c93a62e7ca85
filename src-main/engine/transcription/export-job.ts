import { stat } from 'node:fs/promises';
import {
  exportJobResult,
  exportParams,
  type ExportJobResult,
  type ExportParams,
} from '../../contract/jobs';
import { presetRules } from '../captions/presets';
import { EngineError } from '../errors';
import { exportStem, resolveExportTarget, type ExportTarget } from '../exports/export-target';
import { writeExport } from '../exports/index';
import { defineJob, type RunnableJob } from '../jobs/job-definition';
import type { SettingsService } from '../settings/settings-service';
import type { Repositories } from '../store/repositories';

/** Export jobs: for batch exports and exports of very long transcripts that take a while. */
export interface ExportJobs {
  /**
   * Checks an export request before it is queued: the transcript exists and the file may be
   * written (see export-target.ts). Throws the EngineError a client should see.
   */
  check(params: ExportParams): Promise<ExportTarget>;
  /** The export job kind. */
  readonly definition: RunnableJob;
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

  const definition = defineJob({
    kind: 'export',
    params: exportParams,
    result: exportJobResult,
    paramName: 'export parameter',
    async run(ctx, params): Promise<ExportJobResult> {
      ctx.plan([{ stage: 'export', weight: 1 }]);
      ctx.progress('export', 0);
      // Again, now: the folders, links and files may have changed since the job was submitted.
      const target = await check(params);
      const transcript = transcriptOf(params.transcriptId);
      await writeExport(
        transcript.document,
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
    },
  });

  return { check, definition };
}
