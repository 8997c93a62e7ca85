import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { TranscriptDocument } from '../../contract/document';
import { presetRules } from '../captions/presets';
import { EngineError } from '../errors';
import { checkExportFormat, writeExport } from '../exports/index';
import type { JobContext, JobHandler } from '../jobs/job-runner';
import type { Repositories } from '../store/repositories';

const exportParams = z.object({
  transcriptId: z.string().min(1),
  format: z.string(),
  /** Absolute path of the file to write. */
  path: z.string().refine(isAbsolute, 'must be an absolute path'),
  /** Re-wrap the captions with this preset on the way out. */
  preset: z.enum(['broadcast', 'social']).optional(),
});

/** An export as a job: for batch exports and exports of very long transcripts that take a while. */
export function createExportHandler({ repos }: { repos: Repositories }): JobHandler {
  return async (ctx: JobContext) => {
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
    const { transcriptId, path, preset } = parsed.data;
    const format = checkExportFormat(parsed.data.format);
    const transcript = repos.transcripts.get(transcriptId);
    if (!transcript) throw new EngineError('NOT_FOUND', `There is no transcript ${transcriptId}.`);
    await writeExport(
      transcript.document as TranscriptDocument,
      format,
      path,
      preset ? { rules: presetRules(preset) } : {},
    );
    ctx.progress('export', 1);
    return { path, format, bytes: (await stat(path)).size };
  };
}
