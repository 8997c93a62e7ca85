/**
 * Malformed HTTP input against every route that takes it, found in the OpenAPI document: broken
 * and hostile JSON, wrong content types, bodies over the limit, deep nesting, broken multipart on
 * the upload routes, repeated and bracketed query parameters, invalid UTF-8. Each must get a clean
 * 4xx in the standard error shape (never a 5xx, never a hang), leave no file behind, and the
 * engine must answer /health afterwards.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maxTranscriptBodyBytes } from '../../contract/transcripts';
import { speech } from '../../engine/whisper/__fixtures__/whisper-fixtures';
import { fillPath, isErrorShape, parseBody, startHostileApp } from './hostile-app';
import { readOperations, type Operation } from './openapi';
import { rawHttp, type RawResponse } from './raw-http';

const h = await startHostileApp({ listen: true });
afterAll(() => h.close());
const port = h.port!;
const host: [string, string] = ['Host', `127.0.0.1:${port}`];
const admin = `Bearer ${h.tokens.admin}`;
const operations = readOperations((await h.inject('/openapi.json')).json());
const randomId = () => `hostile-${randomBytes(6).toString('hex')}`;
const urlOf = (op: Operation) => fillPath(op.routeUrl, randomId);

const jsonRoutes = operations.filter((op) => op.consumes.includes('application/json'));
/** Routes that take more than Fastify's 1 MiB: a whole transcript document is edited at once. */
const bodyLimits: Record<string, number> = {
  'PATCH /v1/transcripts/{id}': maxTranscriptBodyBytes,
};
const uploadRoutes = operations.filter((op) => op.consumes.includes('multipart/form-data'));
const queryRoutes = operations.filter((op) => op.parameters.some((p) => p.in === 'query'));

/** The engine's folders a refused request must leave as they were. */
const leftovers = () =>
  ['uploads', 'tmp', join('models', 'imported')].flatMap((dir) => {
    try {
      return readdirSync(join(h.dataDir, dir)).map((name) => `${dir}/${name}`);
    } catch {
      return [];
    }
  });

/** Anything but a server error; an error answer in the standard shape. */
function expectNo5xx(response: { statusCode: number; body: string }, label: string) {
  const shown = `${label}: ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, shown).toBeLessThan(500);
  if (response.statusCode >= 400) expect(isErrorShape(parseBody(response.body)), shown).toBe(true);
}

/** A clean refusal: 4xx (or exactly `status`), the standard body, in time. */
function expectClean4xx(
  response: { statusCode: number; body: string } | RawResponse,
  label: string,
  status?: number,
) {
  const code = 'statusCode' in response ? response.statusCode : response.status;
  const shown = `${label}: ${code} ${response.body.slice(0, 300)}`;
  if (status !== undefined) expect(code, shown).toBe(status);
  expect(code, shown).toBeGreaterThanOrEqual(400);
  expect(code, shown).toBeLessThan(500);
  expect(isErrorShape(parseBody(response.body)), shown).toBe(true);
}

const send = (op: Operation, payload: string | Buffer, contentType?: string) =>
  h.inject({
    method: op.method,
    url: urlOf(op),
    payload,
    headers: { authorization: admin, ...(contentType && { 'content-type': contentType }) },
  });

describe('JSON bodies', () => {
  const broken: [string, string][] = [
    ['an unclosed object', '{'],
    ['a cut-off value', '{"path":'],
    ['an unclosed array', '[1,2'],
    ['a misspelt literal', 'nul'],
    ['trailing garbage', '{"a":1}}'],
    ['single quotes', "{'path':'/x'}"],
    ['a NUL byte', '\u0000'],
    ['an empty body', ''],
  ];
  const notObjects: [string, string][] = [
    ['null', 'null'],
    ['a string', '"x"'],
    ['a number', '123'],
    ['an array', '[]'],
  ];
  /** Valid JSON objects a route may ignore (unknown keys are dropped): never a 5xx. */
  const oddObjects: [string, string][] = [
    ['unknown keys', '{"hostile":true}'],
    ['a lone surrogate escape', '{"path":"\\ud800","name":"\\udfff"}'],
    ['a number too large for a double', `{"limit":1${'0'.repeat(400)},"startMs":1e400}`],
    ['a duplicate key', '{"kind":"export","kind":"transcribe"}'],
  ];
  const pollution: [string, string][] = [
    ['__proto__', '{"__proto__":{"polluted":"yes"}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"polluted":"yes"}}}'],
  ];

  it.each(jsonRoutes.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: broken, non-object and prototype-polluting JSON get 4xx; odd objects never a 5xx',
    async (name, op) => {
      for (const [label, payload] of [...broken, ...notObjects, ...pollution]) {
        const response = await send(op, payload, 'application/json');
        // A body that parses to nothing useful may also be refused later (e.g. 404 for the id).
        expectClean4xx(response, `${name} ← ${label}`);
      }
      for (const [label, payload] of oddObjects) {
        expectNo5xx(await send(op, payload, 'application/json'), `${name} ← ${label}`);
      }
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect({}).not.toHaveProperty('polluted');
    },
  );

  it.each(jsonRoutes.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: a body in another content type gets 415 (text/plain: 400, Fastify parses it as text)',
    async (name, op) => {
      expectClean4xx(await send(op, '{}', 'text/plain'), `${name} as text/plain`);
      for (const contentType of [
        'application/x-www-form-urlencoded',
        'application/xml',
        'application/json-patch+json',
        'text/json',
      ]) {
        const response = await send(op, '{}', contentType);
        expectClean4xx(response, `${name} as ${contentType}`, 415);
      }
    },
  );

  it.each(jsonRoutes.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: a body over its limit (1 MiB unless the route says) gets 413, and deep nesting a 4xx, quickly',
    async (name, op) => {
      const limit = bodyLimits[name] ?? 1024 * 1024;
      const huge = `{"x":"${'a'.repeat(limit + 16)}"}`;
      expectClean4xx(await send(op, huge, 'application/json'), `${name} ← ${limit} bytes`, 413);
      for (const [label, payload] of [
        ['100,000 nested arrays', `{"params":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
        ['50,000 nested objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
        [
          'deep nesting hiding a __proto__',
          `${'{"a":'.repeat(20_000)}{"__proto__":{"polluted":1}}${'}'.repeat(20_000)}`,
        ],
        ['a 100,000-element array', `{"params":[${Array(100_000).fill('0').join(',')}]}`],
      ] as const) {
        const started = performance.now();
        const response = await send(op, payload, 'application/json');
        const ms = performance.now() - started;
        // Nesting where a route ignores the key is dropped unread: a 2xx is fine, a 5xx is not.
        expectNo5xx(response, `${name} ← ${label}`);
        expect(ms, `${name} ← ${label} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
      }
      expect({}).not.toHaveProperty('polluted');
    },
  );

  it('a body over the limit over real HTTP: declared (413 at once) or chunked (413 at the limit)', async () => {
    const op = jsonRoutes.find((o) => o.method === 'POST' && o.path === '/v1/jobs')!;
    const body = Buffer.alloc(4 * 1024 * 1024, 'a');
    const declared = await rawHttp(port, {
      method: 'POST',
      path: urlOf(op),
      headers: [
        host,
        ['Authorization', admin],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expectClean4xx(declared, 'declared 4 MiB', 413);
    const chunk = (data: Buffer) =>
      Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const chunked = await rawHttp(port, {
      method: 'POST',
      path: urlOf(op),
      headers: [
        host,
        ['Authorization', admin],
        ['Content-Type', 'application/json'],
        ['Transfer-Encoding', 'chunked'],
      ],
      body: Buffer.concat([chunk(Buffer.from('{"x":"')), chunk(body), Buffer.from('0\r\n\r\n')]),
    });
    expectClean4xx(chunked, 'chunked 4 MiB', 413);
  });

  it('a body that contradicts its own framing is refused by the parser, not a route', async () => {
    const op = jsonRoutes.find((o) => o.method === 'POST' && o.path === '/v1/jobs')!;
    for (const [label, headers] of [
      [
        'Content-Length and chunked',
        [
          ['Content-Length', '5'],
          ['Transfer-Encoding', 'chunked'],
        ],
      ],
      [
        'two Content-Lengths',
        [
          ['Content-Length', '2'],
          ['Content-Length', '3'],
        ],
      ],
      ['a negative Content-Length', [['Content-Length', '-1']]],
    ] satisfies [string, [string, string][]][]) {
      const response = await rawHttp(port, {
        method: 'POST',
        path: urlOf(op),
        headers: [host, ['Authorization', admin], ['Content-Type', 'application/json'], ...headers],
        body: '{}',
      });
      expect(response.status, `${label}: ${response.body}`).toBe(400);
    }
  });
});

/** A multipart/form-data body from parts, with `boundary`. */
function multipart(
  boundary: string,
  parts: { name: string; filename?: string; data: Buffer | string }[],
  closing = true,
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  if (closing) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipart uploads', () => {
  const wav = readFileSync(speech.jfk);
  const b = `hostile${randomBytes(8).toString('hex')}`;
  const file = (name = 'file', filename = 'a.wav') => ({
    name,
    filename,
    data: wav.subarray(0, 4096),
  });
  const cases: [string, string, Buffer][] = [
    [
      'no file part',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [{ name: 'model', data: 'whisper-1' }]),
    ],
    [
      'two files',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [file(), file('file', 'b.wav')]),
    ],
    [
      'a file under another name',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [file('upload')]),
    ],
    [
      'a second file under another name',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [file(), file('other')]),
    ],
    [
      'a field over 64 KB',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [{ name: 'prompt', data: 'x'.repeat(70 * 1024) }, file()]),
    ],
    [
      '30 fields',
      `multipart/form-data; boundary=${b}`,
      multipart(b, [
        ...Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: 'x' })),
        file(),
      ]),
    ],
    [
      'a boundary that is not in the body',
      `multipart/form-data; boundary=other${b}`,
      multipart(b, [file()]),
    ],
    ['no boundary parameter', 'multipart/form-data', multipart(b, [file()])],
    ['an empty boundary', 'multipart/form-data; boundary=', multipart(b, [file()])],
    ['no closing boundary', `multipart/form-data; boundary=${b}`, multipart(b, [file()], false)],
    ['an empty body', `multipart/form-data; boundary=${b}`, Buffer.alloc(0)],
    ['garbage', `multipart/form-data; boundary=${b}`, randomBytes(8192)],
    [
      'headers without a body',
      `multipart/form-data; boundary=${b}`,
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n`),
    ],
  ];

  it.each(uploadRoutes.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: broken multipart gets a clean 4xx and leaves no file',
    async (name, op) => {
      const before = leftovers();
      for (const [label, contentType, body] of cases) {
        const response = await rawHttp(port, {
          method: op.method,
          path: urlOf(op),
          headers: [
            host,
            ['Authorization', admin],
            ['Content-Type', contentType],
            ['Content-Length', String(body.length)],
          ],
          body,
        });
        expectClean4xx(response, `${name} ← ${label}`);
        // Removing a refused upload is awaited before the answer; allow the discard to finish.
        expect(leftovers(), `${name} ← ${label}`).toEqual(before);
      }
    },
  );

  it('a client file name with folders in it is only a name inside the uploads folder', async () => {
    const op = uploadRoutes.find((o) => o.path === '/v1/media')!;
    for (const filename of [
      '../../../outside.wav',
      '..\\..\\evil.wav',
      '/etc/cron.d/x.wav',
      'a\u0000b.wav',
      '.hidden.wav',
      'x'.repeat(500),
    ]) {
      const body = multipart(b, [{ name: 'file', filename, data: wav }]);
      const response = await rawHttp(port, {
        method: 'POST',
        path: urlOf(op),
        headers: [
          host,
          ['Authorization', admin],
          ['Content-Type', `multipart/form-data; boundary=${b}`],
          ['Content-Length', String(body.length)],
        ],
        body,
      });
      expect(response.status, `${filename}: ${response.body}`).toBe(201);
      const item = JSON.parse(response.body) as { path: string; id: string };
      expect(item.path.startsWith(join(h.dataDir, 'uploads') + '/'), item.path).toBe(true);
      expect(item.path.slice(join(h.dataDir, 'uploads').length + 1)).not.toMatch(/[/\\\0]/);
      await h.inject({
        method: 'DELETE',
        url: `/v1/media/${item.id}`,
        headers: { authorization: admin },
      });
    }
    expect(readdirSync(join(h.dataDir, 'uploads'))).toEqual([]);
  });
});

describe('query strings', () => {
  it.each(queryRoutes.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s: repeated, bracketed, empty, huge and undecodable parameters never get a 5xx',
    async (name, op) => {
      for (const parameter of op.parameters.filter((p) => p.in === 'query')) {
        const p = parameter.name;
        const schema = parameter.schema ?? {};
        const takesSeveral = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(
          (kind) =>
            kind.type === 'array' || (Array.isArray(kind.type) && kind.type.includes('array')),
        );
        for (const [label, query] of [
          ['repeated', `${p}=a&${p}=b`],
          ['as an array', `${p}[]=a&${p}[]=b`],
          ['as an object', `${p}[x]=1&${p}[y]=2`],
          ['nested brackets', `${p}[a][b][c]=1`],
          ['prototype keys', `__proto__[${p}]=1&constructor[prototype][${p}]=1`],
          ['empty', `${p}=`],
          ['without a value', p],
          ['a NUL byte', `${p}=%00`],
          ['invalid UTF-8', `${p}=%FF%FE`],
          ['a broken escape', `${p}=%E0%A4%A`],
          ['10,000 characters', `${p}=${'9'.repeat(10_000)}`],
          ['1,000 repeats', Array(1000).fill(`${p}=1`).join('&')],
        ] as const) {
          const response = await h.inject({
            method: op.method,
            url: `${urlOf(op)}?${query}`,
            headers: { authorization: admin },
          });
          const shown = `${name} ?${label}: ${response.statusCode} ${response.body.slice(0, 200)}`;
          expect(response.statusCode, shown).toBeLessThan(500);
          if (response.statusCode >= 400 && op.method !== 'HEAD') {
            expect(isErrorShape(parseBody(response.body)), shown).toBe(true);
          }
          // Where one value was asked for, several are not silently narrowed to one. (`p[]` and
          // `p[x]` are other names to Fastify's parser, and unknown names are ignored.)
          if (label === 'repeated' && !takesSeveral) {
            expect(response.statusCode, shown).toBeGreaterThanOrEqual(400);
          }
        }
      }
      expect({}).not.toHaveProperty(op.parameters[0]!.name);
    },
  );
});

describe('invalid UTF-8 and odd bytes', () => {
  it('in the path, a header and a JSON body: clean 4xx', async () => {
    for (const [label, path] of [
      ['an undecodable id', '/v1/media/%FF%FE'],
      ['a broken escape', '/v1/media/%E0%A4%A'],
      ['an encoded NUL', '/v1/media/%00'],
    ] as const) {
      for (const authorization of [undefined, admin]) {
        const response = await rawHttp(port, {
          path,
          headers: [
            host,
            ...(authorization ? [['Authorization', authorization] as [string, string]] : []),
          ],
        });
        expectClean4xx(response, `${label}${authorization ? ' with a token' : ''}`);
      }
    }
    // Raw bytes above 0x7f in the request line and in a header.
    const rawPath = await rawHttp(port, {
      path: '/v1/media/\u00ff\u00fe',
      headers: [host, ['Authorization', admin]],
    });
    expect(rawPath.status, rawPath.body).toBeGreaterThanOrEqual(400);
    expect(rawPath.status, rawPath.body).toBeLessThan(500);
    const rawHeader = await rawHttp(port, {
      path: '/v1/system',
      headers: [host, ['Authorization', 'Bearer \u00ff\u00fe\u00fd']],
    });
    expectClean4xx(rawHeader, 'a token of raw bytes', 401);

    const body = Buffer.concat([
      Buffer.from('{"path":"/tmp/'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('.wav"}'),
    ]);
    const json = await rawHttp(port, {
      method: 'POST',
      path: '/v1/media',
      headers: [
        host,
        ['Authorization', admin],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expectClean4xx(json, 'invalid UTF-8 inside a JSON string');
  });
});

describe('afterwards', () => {
  it('the engine is alive and /health answers 200', async () => {
    const response = await rawHttp(port, { path: '/health', headers: [host] });
    expect(response.status).toBe(200);
    expect(parseBody(response.body)).toEqual({ status: 'ok' });
  });
});
