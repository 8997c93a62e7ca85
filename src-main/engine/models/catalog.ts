import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EngineError } from '../errors';

export const modelKinds = ['whisper', 'vad', 'segmentation', 'embedding'] as const;
export type ModelKind = (typeof modelKinds)[number];

/** Ids double as file-name stems and CLI arguments, so they stay to a safe alphabet. */
export const modelIdPattern = /^[a-z0-9][a-z0-9._-]*$/;

const loopbackHostnames = new Set(['127.0.0.1', '[::1]', 'localhost']);

export const catalogEntrySchema = z.object({
  id: z.string().regex(modelIdPattern, 'must be lowercase letters, digits, ".", "_" or "-"'),
  kind: z.enum(modelKinds),
  name: z.string().min(1),
  description: z.string(),
  // Plain http only for a mirror on this machine (and the tests' loopback servers).
  url: z.url().refine(
    (url) => {
      const { protocol, hostname } = new URL(url);
      return protocol === 'https:' || (protocol === 'http:' && loopbackHostnames.has(hostname));
    },
    { error: 'must be an https URL (http only for 127.0.0.1, [::1] or localhost)' },
  ),
  fileName: z
    .string()
    .regex(/^[^/\\]+$/, 'must be a bare file name')
    .refine((name) => name !== '.' && name !== '..', 'must be a bare file name'),
  sizeBytes: z.int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  license: z.string().min(1),
  licenseUrl: z.string().optional(),
  languages: z.array(
    z.string().regex(/^([a-z]{2}|multi)$/, 'must be an ISO 639-1 code or "multi"'),
  ),
  family: z.string().optional(),
  quantization: z.string().optional(),
  memoryMb: z.int().positive().optional(),
  recommended: z.boolean().optional(),
});

export const catalogSchema = z
  .object({
    version: z.literal(1),
    models: z.array(catalogEntrySchema),
  })
  .superRefine((catalog, ctx) => {
    // Downloads land at modelsDir/fileName, so both ids and file names must be unique.
    for (const key of ['id', 'fileName'] as const) {
      const seen = new Set<string>();
      catalog.models.forEach((entry, index) => {
        if (seen.has(entry[key])) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', index, key],
            message: `duplicate ${key} "${entry[key]}"`,
          });
        }
        seen.add(entry[key]);
      });
    }
  });

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** `models/catalog.json` at the repository root (this module lives in src-main/engine/models/). */
export function defaultCatalogPath(): string {
  return resolve(import.meta.dirname, '../../../models/catalog.json');
}

/**
 * Validates parsed catalog JSON. Errors name the offending entry by index and id, e.g.
 * `models[2] ("whisper-base").sha256: must be 64 lowercase hex characters`.
 */
export function parseCatalog(data: unknown, source: string): Catalog {
  const result = catalogSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${describePath(data, issue.path)}: ${issue.message}`,
  );
  throw new EngineError(
    'INVALID_ARGUMENT',
    `The model catalog ${source} is invalid:\n  ${problems.join('\n  ')}`,
    { details: { path: source, problems } },
  );
}

/** Reads and validates a catalog file. */
export function loadCatalog(file: string): Catalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EngineError(
      'NOT_FOUND',
      `Cannot read the model catalog ${file}: ${(error as Error).message}`,
      {
        cause: error,
        details: { path: file },
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `The model catalog ${file} is not valid JSON: ${(error as Error).message}`,
      { cause: error, details: { path: file } },
    );
  }
  return parseCatalog(data, file);
}

function describePath(data: unknown, path: readonly PropertyKey[]): string {
  const [first, index, ...rest] = path;
  if (first !== 'models' || typeof index !== 'number')
    return path.map(String).join('.') || '(root)';
  const models = (data as { models?: unknown[] }).models;
  const id = (models?.[index] as { id?: unknown } | undefined)?.id;
  const entry = typeof id === 'string' ? `models[${index}] ("${id}")` : `models[${index}]`;
  return [entry, ...rest.map(String)].join('.');
}
