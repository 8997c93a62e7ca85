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
const texts = async (q: string) => (await find(q)).hits.map((h) => h.text);
const marked = (hit: SearchHit) => hit.highlights.map(([a, b]) => hit.snippet.slice(a, b));
const indexedRows = () => db.prepare('SELECT count(*) FROM search_segments').pluck().get();

describe('search index', () => {
  it('finds segments with their transcript, media, times and speaker', async () => {
    const media = addMedia('jfk.wav');
    const t = addTranscript(media.id, ['my fellow Americans', 'ask not what your country'], 'jfk');
    const { hits, total } = await find('country');
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

  it('joins a segment’s words across its lines', async () => {
    const media = addMedia();
    const document = documentOf(
      [cue('a', null, 500, 3000, ['and so my fellow', 'Americans ask not'])],
      [],
    );
    repos.transcripts.insert({ mediaId: media.id, modelId: null, language: 'en', document });
    expect(await texts('"fellow americans"')).toEqual(['and so my fellow Americans ask not']);
  });

  it('stays in step with inserts, updates, partial saves and deletes', async () => {
    const media = addMedia();
    const t = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: null,
      document: docOf(['first words']),
      status: 'partial',
    });
    expect(await texts('first')).toEqual(['first words']);

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
    expect((await find('words')).total).toBe(3);

    // An edit removes the old text from the index and adds the new.
    repos.transcripts.update(t.id, done.version, docOf(['first words', 'edited', 'third words']));
    expect(await texts('second')).toEqual([]);
    expect((await find('edited')).hits[0]).toMatchObject({ segmentIndex: 1, startMs: 10_000 });
    expect(indexedRows()).toBe(3);

    // A refused (stale) save changes nothing.
    expect(() => repos.transcripts.update(t.id, 1, docOf(['stale']))).toThrow(/changed elsewhere/);
    expect(await texts('stale')).toEqual([]);

    // Segments dropped from the document leave the index.
    const edited = repos.transcripts.get(t.id)!;
    repos.transcripts.update(t.id, edited.version, docOf(['first words']));
    expect(await texts('third')).toEqual([]);
    expect(indexedRows()).toBe(1);

    repos.transcripts.delete(t.id);
    expect((await find('words')).total).toBe(0);
    expect(indexedRows()).toBe(0);
  });

  it('forgets the transcripts of deleted media', async () => {
    const media = addMedia();
    addTranscript(media.id, ['cascade me']);
    expect((await find('cascade')).total).toBe(1);
    repos.media.delete(media.id);
    expect((await find('cascade')).total).toBe(0);
    expect(indexedRows()).toBe(0);
  });

  it('indexes nothing for a document without segments', () => {
    const media = addMedia();
    const t = addTranscript(media.id, ['said once']);
    expect(indexedRows()).toBe(1);
    repos.transcripts.update(t.id, 1, docOf([]));
    expect(indexedRows()).toBe(0);
  });
});

describe('search queries', () => {
  it('ignores case and accents, composed or decomposed, on both sides', async () => {
    const media = addMedia();
    addTranscript(media.id, ['Américains à l’ÉCOLE', 'cafe\u0301 noir', 'नमस्ते दुनिया']);
    expect(await texts('americains')).toEqual(['Américains à l’ÉCOLE']);
    expect(await texts('AMÉRICAINS ecole')).toEqual(['Américains à l’ÉCOLE']);
    expect(await texts('café')).toEqual(['cafe\u0301 noir']);
    expect(await texts('CAFE\u0301 NOIR')).toEqual(['cafe\u0301 noir']);
    // Combining marks belong to words: a Devanagari word is found whole.
    expect(marked((await find('नमस्ते')).hits[0]!)).toEqual(['नमस्ते']);
  });

  it('matches the last word as a prefix while it is typed, but not the others', async () => {
    const media = addMedia();
    addTranscript(media.id, ['my fellow Americans', 'ask not']);
    expect(await texts('Amer')).toEqual(['my fellow Americans']);
    expect(marked((await find('Amer')).hits[0]!)).toEqual(['Americans']);
    expect(await texts('fel americans')).toEqual([]);
    expect(await texts('fellow amer')).toEqual(['my fellow Americans']);
  });

  it('matches a quoted phrase exactly and unquoted words anywhere in the segment', async () => {
    const media = addMedia();
    addTranscript(media.id, ['ask not what your country', 'what not to ask']);
    expect(await texts('"ask not"')).toEqual(['ask not what your country']);
    expect((await texts('not ask')).sort()).toEqual([
      'ask not what your country',
      'what not to ask',
    ]);
    const hit = (await find('"what your" country')).hits[0]!;
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
  ])('never turns %j into an FTS5 error', async (q) => {
    const media = addMedia();
    addTranscript(media.id, ['hello world']);
    await expect(find(q)).resolves.toMatchObject({ hits: expect.any(Array) });
  });

  it('takes operator words and column syntax literally', async () => {
    const media = addMedia();
    addTranscript(media.id, ['this and that or not', 'col x marks the spot', 'nothing here']);
    expect(await texts('AND OR NOT')).toEqual(['this and that or not']);
    expect(await texts('col:x')).toEqual(['col x marks the spot']);
    expect(await texts('*')).toEqual([]);
    expect(await texts('"')).toEqual([]);
  });

  it('refuses a limit or offset out of range', async () => {
    await expect(find('x', { limit: 0 })).rejects.toThrow('limit must be 1 to 200; got 0.');
    await expect(find('x', { limit: 201 })).rejects.toThrow(/limit must be 1 to 200/);
    await expect(find('x', { offset: -1 })).rejects.toThrow('offset must be 0 or more; got -1.');
  });

  it('refuses an empty query with INVALID_ARGUMENT', async () => {
    for (const q of ['', '   ', '\n\t']) {
      let caught: unknown;
      try {
        await find(q);
      } catch (error) {
        caught = error;
      }
      expect(isEngineError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('highlights the matched characters, accents and emoji included', async () => {
    const media = addMedia();
    addTranscript(media.id, ['🎉 Élan, élan! vital élans']);
    const hit = (await find('elan')).hits[0]!;
    expect(hit.snippet).toBe('🎉 Élan, élan! vital élans');
    expect(hit.highlights).toEqual([
      [3, 7],
      [9, 13],
      [21, 26],
    ]);
    expect(marked(hit)).toEqual(['Élan', 'élan', 'élans']);
  });

  it('ranks by relevance, then media name and time; pages with a stable total', async () => {
    const b = addMedia('b.wav');
    const a = addMedia('a.wav');
    addTranscript(b.id, ['rain', 'rain again']);
    addTranscript(a.id, ['rain', 'the rain in spain falls mainly on the plain']);
    const { hits, total } = await find('rain');
    expect(total).toBe(4);
    expect(hits.map((h) => [h.mediaName, h.text])).toEqual([
      ['a.wav', 'rain'],
      ['b.wav', 'rain'],
      ['b.wav', 'rain again'],
      ['a.wav', 'the rain in spain falls mainly on the plain'],
    ]);
    const page = await find('rain', { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.hits.map((h) => [h.mediaName, h.text])).toEqual([
      ['b.wav', 'rain'],
      ['b.wav', 'rain again'],
    ]);
    expect((await find('rain', { mediaId: b.id })).hits.every((h) => h.mediaId === b.id)).toBe(
      true,
    );
    expect((await find('rain', { mediaId: b.id })).total).toBe(2);
    expect((await find('rain', { mediaId: 'no-such-media' })).total).toBe(0);
  });
});

describe('large match sets', () => {
  /** One transcript of `count` segments, each saying `text`, 10 s apart. */
  const addRepeated = (name: string, count: number, text: string) => {
    const media = addMedia(name);
    const transcript = addTranscript(
      media.id,
      Array.from({ length: count }, () => text),
    );
    return { media, transcript };
  };
  const where = (hits: SearchHit[]) => hits.map((h) => `${h.mediaName}#${h.segmentIndex}`);

  it('says a small total is exact and that the hits are ranked by relevance', async () => {
    const media = addMedia();
    addTranscript(media.id, ['rain', 'rain again', 'no match']);
    expect(await find('rain')).toMatchObject({
      total: 2,
      totalIsLowerBound: false,
      order: 'relevance',
    });
    expect(await find('nothing like it')).toEqual({
      hits: [],
      total: 0,
      totalIsLowerBound: false,
      order: 'relevance',
    });
  });

  it('shows the newest recordings first, each in time order, when over 1,000 segments match', async () => {
    addRepeated('old.wav', 700, 'the rain in spain');
    addRepeated('new.wav', 700, 'the rain again');
    addRepeated('other.wav', 5, 'no match here');
    const first = await find('rain', { limit: 5 });
    // Counting stops past 1,000: the total is a lower bound, shown as "1,000+".
    expect(first).toMatchObject({ total: 1000, totalIsLowerBound: true, order: 'newest' });
    expect(where(first.hits)).toEqual([0, 1, 2, 3, 4].map((i) => `new.wav#${i}`));
    // The 1,000 newest matches are new.wav's 700 and the last 300 of old.wav; new.wav comes
    // first, then old.wav's in time order.
    expect(where((await find('rain', { limit: 4, offset: 698 })).hits)).toEqual([
      'new.wav#698',
      'new.wav#699',
      'old.wav#400',
      'old.wav#401',
    ]);
    // The next thousand continue with old.wav's earlier segments; counting the whole of that
    // thousand reaches the end, so the total is exact.
    const later = await find('rain', { limit: 3, offset: 1000 });
    expect(where(later.hits)).toEqual(['old.wav#0', 'old.wav#1', 'old.wav#2']);
    expect(later).toMatchObject({ total: 1400, totalIsLowerBound: false, order: 'newest' });
    // A page that reaches the end knows the exact total.
    const last = await find('rain', { limit: 50, offset: 1390 });
    expect(where(last.hits)).toEqual(Array.from({ length: 10 }, (_, i) => `old.wav#${390 + i}`));
    expect(last).toMatchObject({ total: 1400, totalIsLowerBound: false, order: 'newest' });
    // Every hit is highlighted as in a small result.
    expect(marked(first.hits[0]!)).toEqual(['rain']);
  });

  it('keeps a filter by media exact and relevance-ranked when that media has few matches', async () => {
    addRepeated('big.wav', 1100, 'rain');
    const { media } = addRepeated('small.wav', 3, 'rain falls');
    expect(await find('rain')).toMatchObject({ totalIsLowerBound: true, order: 'newest' });
    const filtered = await find('rain', { mediaId: media.id });
    expect(filtered).toMatchObject({ total: 3, totalIsLowerBound: false, order: 'relevance' });
    expect(filtered.hits.every((h) => h.mediaId === media.id)).toBe(true);
  });

  it('shows a few matches newest first when a searched word is too common to rank by', async () => {
    // bm25 reads every occurrence of each searched word; past 20,000 segments it is not asked.
    addRepeated('common.wav', 20_001, 'the');
    const old = addRepeated('old.wav', 2, 'the quick fox').media;
    const recent = addRepeated('recent.wav', 2, 'the quick fox').media;
    const result = await find('the quick');
    expect(result).toMatchObject({ total: 4, totalIsLowerBound: false, order: 'newest' });
    expect(result.hits.map((h) => [h.mediaId, h.segmentIndex])).toEqual([
      [recent.id, 0],
      [recent.id, 1],
      [old.id, 0],
      [old.id, 1],
    ]);
    expect(marked(result.hits[0]!)).toEqual(['the', 'quick']);
    // Without the common word the same hits are ranked.
    expect(await find('quick fox')).toMatchObject({ total: 4, order: 'relevance' });
    // Searching one recording: "the" is still common in the whole index.
    expect(await find('the', { mediaId: old.id })).toMatchObject({ total: 2, order: 'newest' });
  }, 30_000);

  it('gives the event loop back while it searches a large index', async () => {
    const { transcript } = addRepeated('talk.wav', 2, 'needle');
    // A row far up the rowid space spreads the index over several slices.
    db.prepare(
      `INSERT INTO search_segments (id, transcript_id, segment_index, start_ms, end_ms, text)
       VALUES (900000, ?, 2, 0, 1, 'hay')`,
    ).run(transcript.id);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await find('needle');
    ticking = false;
    expect(result.total).toBe(2);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('matches a one-letter last word as a word, not as the prefix of every word', async () => {
    const media = addMedia();
    addTranscript(media.id, ['a cat', 'apples and pears', 'A']);
    expect((await texts('a')).sort()).toEqual(['A', 'a cat']);
    expect(await texts('ap')).toEqual(['apples and pears']);
    expect(await texts('pears a')).toEqual([]);
  });
});

describe('migration 0004', () => {
  it('indexes transcripts saved before search existed', async () => {
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
    const hits = (await createSearchRepo(raw).search({ q: '"old"' })).hits;
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
    expect((await createSearchRepo(raw).search({ q: 'older' })).hits[0]?.startMs).toBe(70_000);
    raw.close();
  });

  it('backfills exactly the rows that saving through the repository writes', async () => {
    const raw = new Database(':memory:');
    runMigrations(
      raw,
      migrations.filter((m) => m.version < 4),
    );
    raw.exec(`INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                                 sample_rate, channels, created_at)
              VALUES ('m1', '/tmp/a.wav', 'a.wav', 1, 60, 'wav', 'pcm', 16000, 1, 'then')`);
    const word = (text: unknown) => ({ text, start: 0, end: 1 });
    const normal = documentOf(
      [cue('a', 'ana', 0, 900, ['two lines', 'of words']), cue('b', null, 1000, 1900, ['Ünïcödé'])],
      [{ id: 'ana', name: 'Ana' }],
    );
    const documents = {
      normal,
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
    // Re-saving the valid document rewrites no row: the SQL and the repository agree. (The
    // repository takes only documents of the contract; the odd ones are the SQL's alone.)
    const repos = createRepositories(raw);
    raw.prepare("DELETE FROM transcripts WHERE id <> 'normal'").run();
    const kept = rows();
    repos.transcripts.update('normal', 1, normal);
    expect(rows()).toEqual(kept);
    expect(kept).toEqual(backfilled.slice(0, 2));
    expect((await repos.search.search({ q: 'unicode' })).hits[0]?.transcriptId).toBe('normal');
    raw.close();
  });
});
