import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../contract/search';
import { isEngineError } from '../errors';
import { cue, documentOf } from '../exports/__fixtures__/sample-document';
import { openDatabase, type Db } from './database';
import { runMigrations } from './migrate';
import { migrations } from './migrations';
import { createRepositories, type Repositories } from './repositories';
import { createSearchRepo } from './search-repo';

let db: Db;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});

const addMedia = (name = 'talk.wav') =>
  repos.media.insert({
    path: `/tmp/${name}`,
    name,
    sizeBytes: 1000,
    durationSec: 60,
    container: 'wav',
    audioCodec: 'pcm_s16le',
    sampleRate: 16000,
    channels: 1,
    hasVideo: false,
  });

/** A document with one segment per text, each a second long, 10 s apart from `startMs`. */
const docOf = (texts: string[], speaker: string | null = null, startMs = 0) =>
  documentOf(
    texts.map((text, i) =>
      cue(`s${i}`, speaker, startMs + i * 10_000, startMs + i * 10_000 + 1000, [text]),
    ),
    speaker ? [{ id: speaker, name: `Name of ${speaker}` }] : [],
  );

const addTranscript = (mediaId: string, texts: string[], speaker: string | null = null) =>
  repos.transcripts.insert({
    mediaId,
    modelId: null,
    language: 'en',
    document: docOf(texts, speaker),
  });

const find = (q: string, options: { mediaId?: string; limit?: number; offset?: number } = {}) =>
  repos.search.search({ q, ...options });
const texts = (q: string) => find(q).hits.map((h) => h.text);
const marked = (hit: SearchHit) => hit.highlights.map(([a, b]) => hit.snippet.slice(a, b));
const indexedRows = () => db.prepare('SELECT count(*) FROM search_segments').pluck().get();

describe('search index', () => {
  it('finds segments with their transcript, media, times and speaker', () => {
    const media = addMedia('jfk.wav');
    const t = addTranscript(media.id, ['my fellow Americans', 'ask not what your country'], 'jfk');
    const { hits, total } = find('country');
    expect(total).toBe(1);
    expect(hits).toEqual([
      {
        transcriptId: t.id,
        mediaId: media.id,
        mediaName: 'jfk.wav',
        segmentIndex: 1,
        startMs: 10_000,
        endMs: 11_000,
        speaker: 'jfk',
        text: 'ask not what your country',
        snippet: 'ask not what your country',
        highlights: [[18, 25]],
      },
    ]);
  });

  it('joins a segment’s words across its lines', () => {
    const media = addMedia();
    const document = documentOf(
      [cue('a', null, 500, 3000, ['and so my fellow', 'Americans ask not'])],
      [],
    );
    repos.transcripts.insert({ mediaId: media.id, modelId: null, language: 'en', document });
    expect(texts('"fellow americans"')).toEqual(['and so my fellow Americans ask not']);
  });

  it('stays in step with inserts, updates, partial saves and deletes', () => {
    const media = addMedia();
    const t = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: null,
      document: docOf(['first words']),
      status: 'partial',
    });
    expect(texts('first')).toEqual(['first words']);

    // A job's partial saves grow the document; rows of unchanged segments are kept as they are.
    const rowIds = () =>
      db.prepare('SELECT id FROM search_segments ORDER BY segment_index').pluck().all();
    const [firstRow] = rowIds();
    const second = repos.transcripts.update(t.id, 1, docOf(['first words', 'second words']));
    expect(indexedRows()).toBe(2);
    expect(rowIds()[0]).toBe(firstRow);
    const done = repos.transcripts.complete(
      t.id,
      second.version,
      docOf(['first words', 'second words', 'third words']),
      { language: 'en', cacheKey: 'k' },
    );
    expect(indexedRows()).toBe(3);
    expect(find('words').total).toBe(3);

    // An edit removes the old text from the index and adds the new.
    repos.transcripts.update(t.id, done.version, docOf(['first words', 'edited', 'third words']));
    expect(texts('second')).toEqual([]);
    expect(find('edited').hits[0]).toMatchObject({ segmentIndex: 1, startMs: 10_000 });
    expect(indexedRows()).toBe(3);

    // A refused (stale) save changes nothing.
    expect(() => repos.transcripts.update(t.id, 1, docOf(['stale']))).toThrow(/changed elsewhere/);
    expect(texts('stale')).toEqual([]);

    // Segments dropped from the document leave the index.
    const edited = repos.transcripts.get(t.id)!;
    repos.transcripts.update(t.id, edited.version, docOf(['first words']));
    expect(texts('third')).toEqual([]);
    expect(indexedRows()).toBe(1);

    repos.transcripts.delete(t.id);
    expect(find('words').total).toBe(0);
    expect(indexedRows()).toBe(0);
  });

  it('forgets the transcripts of deleted media', () => {
    const media = addMedia();
    addTranscript(media.id, ['cascade me']);
    expect(find('cascade').total).toBe(1);
    repos.media.delete(media.id);
    expect(find('cascade').total).toBe(0);
    expect(indexedRows()).toBe(0);
  });

  it('tolerates documents without searchable segments', () => {
    const media = addMedia();
    const t = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: null,
      document: {},
    });
    repos.transcripts.update(t.id, 1, { segments: [{ text: 'no times' }] });
    expect(indexedRows()).toBe(0);
  });
});

describe('search queries', () => {
  it('ignores case and accents, composed or decomposed, on both sides', () => {
    const media = addMedia();
    addTranscript(media.id, ['Américains à l’ÉCOLE', 'cafe\u0301 noir', 'नमस्ते दुनिया']);
    expect(texts('americains')).toEqual(['Américains à l’ÉCOLE']);
    expect(texts('AMÉRICAINS ecole')).toEqual(['Américains à l’ÉCOLE']);
    expect(texts('café')).toEqual(['cafe\u0301 noir']);
    expect(texts('CAFE\u0301 NOIR')).toEqual(['cafe\u0301 noir']);
    // Combining marks belong to words: a Devanagari word is found whole.
    expect(marked(find('नमस्ते').hits[0]!)).toEqual(['नमस्ते']);
  });

  it('matches the last word as a prefix while it is typed, but not the others', () => {
    const media = addMedia();
    addTranscript(media.id, ['my fellow Americans', 'ask not']);
    expect(texts('Amer')).toEqual(['my fellow Americans']);
    expect(marked(find('Amer').hits[0]!)).toEqual(['Americans']);
    expect(texts('fel americans')).toEqual([]);
    expect(texts('fellow amer')).toEqual(['my fellow Americans']);
  });

  it('matches a quoted phrase exactly and unquoted words anywhere in the segment', () => {
    const media = addMedia();
    addTranscript(media.id, ['ask not what your country', 'what not to ask']);
    expect(texts('"ask not"')).toEqual(['ask not what your country']);
    expect(texts('not ask').sort()).toEqual(['ask not what your country', 'what not to ask']);
    const hit = find('"what your" country').hits[0]!;
    expect(marked(hit)).toEqual(['what your', 'country']);
  });

  it.each([
    '"',
    '""',
    '*',
    '* hello',
    'AND OR NOT',
    'col:x',
    'text:hello',
    'NEAR(',
    'NEAR(a b, 2)',
    '(unbalanced',
    'a OR',
    '^start',
    '-minus +plus',
    "it's",
    'nul\u0000byte',
    '\\"escaped\\"',
    '"""',
    'a" b "c',
  ])('never turns %j into an FTS5 error', (q) => {
    const media = addMedia();
    addTranscript(media.id, ['hello world']);
    expect(() => find(q)).not.toThrow();
  });

  it('takes operator words and column syntax literally', () => {
    const media = addMedia();
    addTranscript(media.id, ['this and that or not', 'col x marks the spot', 'nothing here']);
    expect(texts('AND OR NOT')).toEqual(['this and that or not']);
    expect(texts('col:x')).toEqual(['col x marks the spot']);
    expect(texts('*')).toEqual([]);
    expect(texts('"')).toEqual([]);
  });

  it('refuses a limit or offset out of range', () => {
    expect(() => find('x', { limit: 0 })).toThrow('limit must be 1 to 200; got 0.');
    expect(() => find('x', { limit: 201 })).toThrow(/limit must be 1 to 200/);
    expect(() => find('x', { offset: -1 })).toThrow('offset must be 0 or more; got -1.');
  });

  it('refuses an empty query with INVALID_ARGUMENT', () => {
    for (const q of ['', '   ', '\n\t']) {
      let caught: unknown;
      try {
        find(q);
      } catch (error) {
        caught = error;
      }
      expect(isEngineError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('highlights the matched characters, accents and emoji included', () => {
    const media = addMedia();
    addTranscript(media.id, ['🎉 Élan, élan! vital élans']);
    const hit = find('elan').hits[0]!;
    expect(hit.snippet).toBe('🎉 Élan, élan! vital élans');
    expect(hit.highlights).toEqual([
      [3, 7],
      [9, 13],
      [21, 26],
    ]);
    expect(marked(hit)).toEqual(['Élan', 'élan', 'élans']);
  });

  it('ranks by relevance, then media name and time; pages with a stable total', () => {
    const b = addMedia('b.wav');
    const a = addMedia('a.wav');
    addTranscript(b.id, ['rain', 'rain again']);
    addTranscript(a.id, ['rain', 'the rain in spain falls mainly on the plain']);
    const { hits, total } = find('rain');
    expect(total).toBe(4);
    expect(hits.map((h) => [h.mediaName, h.text])).toEqual([
      ['a.wav', 'rain'],
      ['b.wav', 'rain'],
      ['b.wav', 'rain again'],
      ['a.wav', 'the rain in spain falls mainly on the plain'],
    ]);
    const page = find('rain', { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.hits.map((h) => [h.mediaName, h.text])).toEqual([
      ['b.wav', 'rain'],
      ['b.wav', 'rain again'],
    ]);
    expect(find('rain', { mediaId: b.id }).hits.every((h) => h.mediaId === b.id)).toBe(true);
    expect(find('rain', { mediaId: b.id }).total).toBe(2);
    expect(find('rain', { mediaId: 'no-such-media' }).total).toBe(0);
  });
});

describe('migration 0004', () => {
  it('indexes transcripts saved before search existed', () => {
    const raw = new Database(':memory:');
    raw.pragma('foreign_keys = ON');
    runMigrations(
      raw,
      migrations.filter((m) => m.version < 4),
    );
    raw
      .prepare(
        `INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                            sample_rate, channels, created_at)
         VALUES ('m1', '/tmp/old.wav', 'old.wav', 1, 60, 'wav', 'pcm', 16000, 1, 'then')`,
      )
      .run();
    const insert = raw.prepare(
      `INSERT INTO transcripts (id, media_id, document, created_at, updated_at)
       VALUES (?, 'm1', ?, 'then', 'then')`,
    );
    insert.run('t1', JSON.stringify(docOf(['old news', 'older times'], 'ana', 60_000)));
    insert.run('t2', JSON.stringify({}));

    expect(
      runMigrations(
        raw,
        migrations.filter((m) => m.version <= 4),
      ),
    ).toBe(1);
    // Only the search repository: the later tables do not exist in a database at version 4.
    const hits = createSearchRepo(raw).search({ q: '"old"' }).hits;
    expect(hits).toEqual([
      expect.objectContaining({
        transcriptId: 't1',
        mediaName: 'old.wav',
        segmentIndex: 0,
        startMs: 60_000,
        endMs: 61_000,
        speaker: 'ana',
        text: 'old news',
      }),
    ]);
    expect(createSearchRepo(raw).search({ q: 'older' }).hits[0]?.startMs).toBe(70_000);
    raw.close();
  });

  it('backfills exactly the rows that saving through the repository writes', () => {
    const raw = new Database(':memory:');
    runMigrations(
      raw,
      migrations.filter((m) => m.version < 4),
    );
    raw.exec(`INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                                 sample_rate, channels, created_at)
              VALUES ('m1', '/tmp/a.wav', 'a.wav', 1, 60, 'wav', 'pcm', 16000, 1, 'then')`);
    const word = (text: unknown) => ({ text, start: 0, end: 1 });
    const documents: Record<string, unknown> = {
      normal: documentOf(
        [
          cue('a', 'ana', 0, 900, ['two lines', 'of words']),
          cue('b', null, 1000, 1900, ['Ünïcödé']),
        ],
        [{ id: 'ana', name: 'Ana' }],
      ),
      odd: {
        segments: [
          {
            start: 0,
            end: 5,
            speaker: 7,
            lines: [{ words: [word('kept'), word(3), word('too')] }],
          },
          { start: 'x', end: 5, lines: [] },
          'not a segment',
          { start: 10, end: 20 },
          { start: 30, end: 40, lines: [{ words: 'nope' }, { words: [word('last')] }] },
        ],
      },
      segmentsNotAList: { segments: { a: { start: 0, end: 1 } } },
      empty: {},
    };
    const insert = raw.prepare(
      `INSERT INTO transcripts (id, media_id, document, created_at, updated_at)
       VALUES (?, 'm1', ?, 'then', 'then')`,
    );
    for (const [id, document] of Object.entries(documents))
      insert.run(id, JSON.stringify(document));
    runMigrations(raw, migrations);

    const rows = () =>
      raw
        .prepare(
          `SELECT id, transcript_id, segment_index, start_ms, end_ms, speaker, text
             FROM search_segments ORDER BY transcript_id, segment_index`,
        )
        .all();
    const backfilled = rows();
    expect(backfilled.map((r) => Object.values(r as object).slice(1))).toEqual([
      ['normal', 0, 0, 900, 'ana', 'two lines of words'],
      ['normal', 1, 1000, 1900, null, 'Ünïcödé'],
      ['odd', 0, 0, 5, null, 'kept too'],
      ['odd', 3, 10, 20, null, ''],
      ['odd', 4, 30, 40, null, 'last'],
    ]);
    // Re-saving the same documents rewrites no row: the SQL and the repository agree.
    const repos = createRepositories(raw);
    for (const [id, document] of Object.entries(documents)) {
      repos.transcripts.update(id, 1, document);
    }
    expect(rows()).toEqual(backfilled);
    expect(repos.search.search({ q: 'unicode' }).hits[0]?.transcriptId).toBe('normal');
    raw.close();
  });
});
