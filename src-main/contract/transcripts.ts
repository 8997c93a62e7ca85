import { z } from 'zod';
import { namedCaptionPreset } from './captions';
import { transcriptDocument } from './document';
import { exportFormat } from './jobs';

export const transcriptView = z.object({
  id: z.string(),
  mediaId: z.string(),
  modelId: z.string().nullable(),
  language: z.string().nullable(),
  /** Send it back with an edit: a stale version is refused with 409, never overwritten. */
  version: z.number().int().positive(),
  status: z.enum(['partial', 'complete']),
  document: transcriptDocument,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TranscriptView = z.infer<typeof transcriptView>;

/**
 * Largest `PATCH /v1/transcripts/:id` body: the whole document goes back with every edit, ~1.6 MB
 * per hour of speech, so room for the longest media accepted (12 hours by default) and more.
 */
export const maxTranscriptBodyBytes = 64 * 1024 * 1024;

/** `PATCH /v1/transcripts/:id`: the edited document and the version it was edited from. */
export const patchTranscriptBody = z.object({
  version: z.number().int().positive(),
  document: transcriptDocument,
});

/** `GET /v1/transcripts/:id/export`. */
export const transcriptExportQuery = z.object({
  format: exportFormat.default('json'),
  /** Re-wrap the captions under this preset's rules first; without it they stay as stored. */
  preset: namedCaptionPreset.optional(),
});
export type TranscriptExportQuery = z.input<typeof transcriptExportQuery>;
