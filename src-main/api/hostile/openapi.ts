/**
 * Reading the app's own OpenAPI document (GET /openapi.json) for the hostile-input suite: which
 * operations exist, a minimal request body for each, and every request field whose name says it
 * holds a path, so that cases are generated from the API description and a new route or field is
 * covered without anyone remembering to add it.
 */
import { z } from 'zod';

/** The JSON Schema keywords the generators look at; everything else is kept but ignored. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
}

const jsonSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    properties: z.record(z.string(), jsonSchema).optional(),
    required: z.array(z.string()).optional(),
    items: jsonSchema.optional(),
    oneOf: z.array(jsonSchema).optional(),
    anyOf: z.array(jsonSchema).optional(),
    allOf: z.array(jsonSchema).optional(),
    enum: z.array(z.unknown()).optional(),
    const: z.unknown().optional(),
    default: z.unknown().optional(),
    minimum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    minLength: z.number().optional(),
    minItems: z.number().optional(),
    format: z.string().optional(),
    pattern: z.string().optional(),
  }),
);

const parameter = z.looseObject({
  in: z.string(),
  name: z.string(),
  required: z.boolean().optional(),
  schema: jsonSchema.optional(),
});

const operation = z.looseObject({
  parameters: z.array(parameter).optional(),
  requestBody: z
    .looseObject({
      required: z.boolean().optional(),
      content: z.record(z.string(), z.looseObject({ schema: jsonSchema.optional() })),
    })
    .optional(),
});

const httpMethods = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const;

const document = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/** A plain JSON object (not an array, not null). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface Operation {
  /** Upper case, e.g. `POST`. */
  method: string;
  /** OpenAPI form, e.g. `/v1/media/{id}`. */
  path: string;
  /** The Fastify pattern of the same route, e.g. `/v1/media/:id`. */
  routeUrl: string;
  parameters: z.infer<typeof parameter>[];
  /** Schema of the JSON body, when the operation takes one. */
  jsonBody: JsonSchema | undefined;
  /** The media types the body may have. */
  consumes: string[];
}

/** The operations of an OpenAPI document, checked against the shape the generators need. */
export function readOperations(doc: unknown): Operation[] {
  const parsed = document.parse(doc);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(parsed.paths)) {
    for (const method of httpMethods) {
      const raw = item[method];
      if (raw === undefined) continue;
      const op = operation.parse(raw);
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase(),
        path,
        routeUrl: path.replace(/\{(\w+)\}/g, ':$1'),
        parameters: op.parameters ?? [],
        jsonBody: content['application/json']?.schema,
        consumes: Object.keys(content),
      });
    }
  }
  return operations;
}

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

/**
 * The smallest value `schema` accepts, as far as these keywords tell: required properties only,
 * the first enum value or `oneOf` branch, the minimum of numbers, `minLength` x's for strings.
 */
export function minimalValue(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const branch = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (branch) return minimalValue(branch);
  if (schema.allOf && schema.allOf.length > 0) {
    return Object.assign({}, ...schema.allOf.map((part) => minimalValue(part)));
  }
  switch (typeOf(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const property = schema.properties?.[name];
        out[name] = property ? minimalValue(property) : 'x';
      }
      return out;
    }
    case 'array': {
      const count = schema.minItems ?? 0;
      return Array.from({ length: count }, () => (schema.items ? minimalValue(schema.items) : 'x'));
    }
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return schema.default ?? null;
  }
}

/** Names that say "a place on disk or on the network". */
export const pathLikeName = /(path|file|dir|folder|url|uri|location|dest)/i;

/** One path-like field of one operation: in its JSON body, or a query parameter. */
export interface PathField {
  method: string;
  routeUrl: string;
  in: 'body' | 'query';
  /** Property names from the body's root to the field, e.g. `['params', 'path']`; or `[name]`. */
  pointer: string[];
  /** A minimal body of the same `oneOf` branch, to put the hostile value into (query: `{}`). */
  template: Record<string, unknown>;
  /** The field is a list of paths (e.g. allowed folders): the value goes in as `[value]`. */
  list: boolean;
}

/**
 * Every property of `schema` (and its `oneOf`/`anyOf` branches) whose name is path-like and that
 * holds a string or a list of strings.
 */
function pathPointers(
  schema: JsonSchema,
  prefix: string[] = [],
): { pointer: string[]; list: boolean }[] {
  const found: { pointer: string[]; list: boolean }[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const here = [...prefix, name];
    const kinds = [property, ...(property.oneOf ?? []), ...(property.anyOf ?? [])];
    if (pathLikeName.test(name)) {
      if (kinds.some((kind) => typeOf(kind) === 'string'))
        found.push({ pointer: here, list: false });
      else if (
        kinds.some(
          (kind) => typeOf(kind) === 'array' && kind.items && typeOf(kind.items) === 'string',
        )
      ) {
        found.push({ pointer: here, list: true });
      }
    }
    found.push(...pathPointers(property, here));
  }
  return found;
}

/**
 * The path-like fields of every JSON request body in the document (one per `oneOf` branch) and
 * every path-like query parameter.
 */
export function pathFields(operations: Operation[]): PathField[] {
  const fields: PathField[] = [];
  for (const op of operations) {
    for (const parameter of op.parameters) {
      if (parameter.in !== 'query' || !pathLikeName.test(parameter.name)) continue;
      const base = { method: op.method, routeUrl: op.routeUrl, template: {}, list: false };
      fields.push({ ...base, in: 'query', pointer: [parameter.name] });
    }
    if (!op.jsonBody) continue;
    const branches = op.jsonBody.oneOf ?? op.jsonBody.anyOf ?? [op.jsonBody];
    for (const branch of branches) {
      const template = minimalValue(branch);
      if (!isRecord(template)) continue;
      for (const { pointer, list } of pathPointers(branch)) {
        fields.push({
          method: op.method,
          routeUrl: op.routeUrl,
          in: 'body',
          pointer,
          template,
          list,
        });
      }
    }
  }
  return fields;
}

/** A deep copy of `body` with the value at `pointer` replaced (objects on the way are created). */
export function withValue(
  body: Record<string, unknown>,
  pointer: string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const name of pointer.slice(0, -1)) {
    const next = at[name];
    if (isRecord(next)) {
      at = next;
    } else {
      const created: Record<string, unknown> = {};
      at[name] = created;
      at = created;
    }
  }
  at[pointer.at(-1)!] = value;
  return copy;
}
