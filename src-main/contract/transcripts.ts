import { z } from 'zod';
import { transcriptDocument } from './document';

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

/** `PATCH /v1/transcripts/:id`: the edited document and the version it was edited from. */
export const patchTranscriptBody = z.object({
  version: z.number().int().positive(),
  document: transcriptDocument,
});
