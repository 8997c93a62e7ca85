import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { documentSchemaId } from '../../contract/document';
import { buildDocument, emptyDocument } from './build-document';
import { documentJsonSchema } from './json-schema';
import { jfk, options } from './__fixtures__/whisper-result';

// ajv is already installed (through fastify); it is used here only, to check the schema.
const validator = () =>
  new Ajv2020({ strict: false, allErrors: true }).compile(documentJsonSchema());

describe('documentJsonSchema', () => {
  it('carries the document schema id and draft 2020-12', () => {
    const schema = documentJsonSchema();
    expect(schema.$id).toBe(documentSchemaId);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining(['version', 'segments', 'captions', 'source']),
    );
  });

  it('accepts built documents, as JSON', () => {
    const validate = validator();
    for (const doc of [buildDocument(jfk, options), emptyDocument(options)]) {
      const ok = validate(JSON.parse(JSON.stringify(doc)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects what the zod schema rejects', () => {
    const validate = validator();
    const doc = JSON.parse(JSON.stringify(buildDocument(jfk, options)));
    doc.segments[0].lines[0].words[3].flags = ['shiny'];
    doc.segments[0].lines[0].words[4].start = 1.5;
    delete doc.source;
    expect(validate(doc)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath).sort()).toEqual([
      '',
      '/segments/0/lines/0/words/3/flags/0',
      '/segments/0/lines/0/words/4/start',
    ]);
  });
});
