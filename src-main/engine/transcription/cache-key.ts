import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/**
 * The result-cache key: the media's content, the exact model file, every parameter that changes
 * the output, and the version of the code that turns Whisper's output into a document (so an
 * improved builder does not serve documents made by an older one).
 */
export function transcriptCacheKey(parts: {
  mediaSha256: string;
  modelSha256: string;
  params: Record<string, unknown>;
  pipelineVersion: number;
}): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}
