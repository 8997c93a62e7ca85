import { beforeEach, describe, expect, it } from 'vitest';
import type { Segment } from '../../contract/document';
import { prepareSave } from '../documents/prepare-save';
import { documentWith, segmentOf } from './__fixtures__/documents';
import { isEngineError, type ErrorCode } from '../errors';
import { openDatabase, type Db } from './database';
import { createRepositories, type Repositories } from './repositories';

let db: Db;
let repos: Repositories;
let mediaId: string;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  mediaId = repos.media.insert({
    path: '/tmp/talk.wav',
    name: 'talk.wav',
    sizeBytes: 1000,
    durationSec: 3600,
    container: 'wav',
    audioCodec: 'pcm_s16le',
    sampleRate: 16000,
    channels: 1,
    hasVideo: false,
  }).id;
});

const inProgress = 'Transcription in progress.';
const startPartial = () =>
  repos.transcripts.insert({
    mediaId,
    modelId: 'base',
    language: 'en',
    document: documentWith([], [inProgress]),
    status: 'partial',
  });

const storedDocumentBytes = (id: string) =>
  db
    .prepare<[string], number>('SELECT length(document) FROM transcripts WHERE id = ?')
    .pluck()
    .get(id);
const searchTexts = (id: string) =>
  db
    .prepare<[string], { segment_index: number; text: string }>(
      'SELECT segment_index, text FROM search_segments WHERE transcript_id = ? ORDER BY segment_index',
    )
    .all(id);
function codeOf(action: () => unknown): ErrorCode | 'none' | 'not an engine error' {
  try {
    action();
    return 'none';
  } catch (error) {
    return isEngineError(error) ? error.code : 'not an engine error';
  }
}

describe('typed documents', () => {
  it('gives back the document it stored', () => {
    const document = documentWith([segmentOf(1, 'hello there', 'ana')]);
    const t = repos.transcripts.insert({ mediaId, modelId: null, language: 'en', document });
    expect(repos.transcripts.get(t.id)!.document).toEqual(document);
    expect(repos.transcripts.listForMedia(mediaId)[0]!.document).toEqual(document);
  });

  it('refuses a stored row that is not a version-1 document with DATABASE_ERROR, saying what to do', () => {
    const t = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: documentWith([segmentOf(1, 'hello')]),
    });
    const store = db.prepare<[string, string]>('UPDATE transcripts SET document = ? WHERE id = ?');
    for (const stored of [
      '{"version":2,"segments":[],"speakers":[]}',
      '{"version":1,"segments":{},"speakers":[]}',
      '[1,2,3]',
      'not json',
    ]) {
      store.run(stored, t.id);
      expect(
        codeOf(() => repos.transcripts.get(t.id)),
        stored,
      ).toBe('DATABASE_ERROR');
      expect(() => repos.transcripts.get(t.id)).toThrow(/delete the transcript|backup/i);
    }
  });
});

describe('appendPartial', () => {
  it('stores only the new segments: the document row is not rewritten, and reads assemble them', () => {
    const t = startPartial();
    const rowBytes = storedDocumentBytes(t.id);
    let version = t.version;
    const segments = [1, 2, 3, 4, 5].map((n) => segmentOf(n, `words of segment ${n}`));
    ({ version } = repos.transcripts.appendPartial(t.id, version, segments.slice(0, 2)));
    expect(version).toBe(t.version + 1);
    const after = repos.transcripts.appendPartial(t.id, version, segments.slice(2));
    expect(after).toEqual({ version: t.version + 2, segments: 5 });

    expect(storedDocumentBytes(t.id)).toBe(rowBytes);
    const read = repos.transcripts.get(t.id)!;
    expect(read.status).toBe('partial');
    expect(read.version).toBe(t.version + 2);
    expect(read.document).toEqual(documentWith(segments, [inProgress]));
    expect(repos.transcripts.listForMedia(mediaId)[0]!.document.segments).toHaveLength(5);
  });

  it('indexes only the appended segments for search, numbered after the stored ones, and counts their words', async () => {
    const t = repos.transcripts.insert({
      mediaId,
      modelId: 'base',
      language: 'en',
      document: documentWith([segmentOf(1, 'first one')]),
      status: 'partial',
    });
    const { version } = repos.transcripts.appendPartial(t.id, t.version, [
      segmentOf(2, 'second segment here'),
      segmentOf(3, 'third'),
    ]);
    expect(searchTexts(t.id)).toEqual([
      { segment_index: 0, text: 'first one' },
      { segment_index: 1, text: 'second segment here' },
      { segment_index: 2, text: 'third' },
    ]);
    const { hits } = await repos.search.search({ q: 'third' });
    expect(hits.map((h) => [h.transcriptId, h.segmentIndex, h.startMs])).toEqual([
      [t.id, 2, 30_000],
    ]);
    const summary = repos.media.getSummary(mediaId)!;
    expect(summary.transcript).toMatchObject({ id: t.id, wordCount: 6, speakerCount: 1 });
    expect(version).toBe(2);
  });

  it('complete() replaces the appended segments with the final document, index included', async () => {
    const t = startPartial();
    const { version } = repos.transcripts.appendPartial(t.id, t.version, [
      segmentOf(1, 'draft words'),
      segmentOf(2, 'more draft'),
      segmentOf(3, 'draft tail'),
    ]);
    const final = documentWith([segmentOf(1, 'final words', 'ana'), segmentOf(2, 'more final')]);
    const done = repos.transcripts.complete(t.id, version, final, {
      language: 'en',
      cacheKey: 'k',
    });
    expect(done.document).toEqual(final);
    expect(repos.transcripts.get(t.id)!.document).toEqual(final);
    expect(searchTexts(t.id).map((r) => r.text)).toEqual(['final words', 'more final']);
    expect((await repos.search.search({ q: 'draft' })).total).toBe(0);
    expect(
      db.prepare('SELECT count(*) FROM partial_segments WHERE transcript_id = ?').pluck().get(t.id),
    ).toBe(0);
    expect(repos.media.getSummary(mediaId)!.transcript).toMatchObject({ wordCount: 4 });
  });

  it('update() of a partial transcript replaces its appended segments too', () => {
    const t = startPartial();
    const { version } = repos.transcripts.appendPartial(t.id, t.version, [segmentOf(1, 'old')]);
    const replaced = documentWith([segmentOf(1, 'new text')], [inProgress]);
    repos.transcripts.update(t.id, version, replaced);
    expect(repos.transcripts.get(t.id)!.document).toEqual(replaced);
  });

  it('refuses what would break the document or the version rule', () => {
    const t = startPartial();
    const { version } = repos.transcripts.appendPartial(t.id, t.version, [segmentOf(5, 'five')]);
    const append =
      (segments: Segment[], at = version, id = t.id) =>
      () =>
        repos.transcripts.appendPartial(id, at, segments);

    expect(codeOf(append([segmentOf(6, 'six')], t.version))).toBe('CONFLICT');
    expect(codeOf(append([segmentOf(6, 'six')], version, 'missing'))).toBe('NOT_FOUND');
    // Before the last stored segment, or out of order among themselves.
    expect(codeOf(append([segmentOf(4, 'four')]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(append([segmentOf(7, 'seven'), segmentOf(6, 'six')]))).toBe('INVALID_ARGUMENT');
    // A repeated segment id, a segment without lines, a speaker the document does not list.
    expect(codeOf(append([{ ...segmentOf(6, 'six'), id: 's5' }]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(append([{ ...segmentOf(6, 'six'), lines: [] }]))).toBe('INVALID_ARGUMENT');
    expect(codeOf(append([segmentOf(6, 'six', 'zed')]))).toBe('INVALID_ARGUMENT');
    // Nothing refused was stored.
    expect(repos.transcripts.get(t.id)!.document.segments.map((s) => s.id)).toEqual(['s5']);
    expect(repos.transcripts.get(t.id)!.version).toBe(version);

    const done = repos.transcripts.complete(t.id, version, documentWith([]), {
      language: 'en',
      cacheKey: null,
    });
    expect(codeOf(append([segmentOf(6, 'six')], done.version))).toBe('CONFLICT');
    expect(() => append([segmentOf(6, 'six')], done.version)()).toThrow(/no longer being made/);
  });

  it('appending nothing changes nothing', () => {
    const t = startPartial();
    expect(repos.transcripts.appendPartial(t.id, t.version, [])).toEqual({
      version: t.version,
      segments: 0,
    });
    expect(repos.transcripts.get(t.id)!.version).toBe(t.version);
  });

  it('deleting the transcript or its media drops its appended segments', () => {
    const t = startPartial();
    repos.transcripts.appendPartial(t.id, t.version, [segmentOf(1, 'gone soon')]);
    const other = startPartial();
    repos.transcripts.appendPartial(other.id, other.version, [segmentOf(1, 'gone with media')]);
    const rows = () => db.prepare('SELECT count(*) FROM partial_segments').pluck().get();
    expect(rows()).toBe(2);
    repos.transcripts.delete(t.id);
    expect(rows()).toBe(1);
    repos.media.delete(mediaId);
    expect(rows()).toBe(0);
    expect(searchTexts(other.id)).toEqual([]);
  });
});

describe('replace and getJson (documents prepared off the event loop)', () => {
  const prepared = (document: ReturnType<typeof documentWith>) => {
    const result = prepareSave(JSON.stringify({ version: 1, document }));
    if (!result.ok) throw new Error(`not a document: ${JSON.stringify(result)}`);
    return result.document;
  };
  const many = (word: string, count = 450) =>
    documentWith(Array.from({ length: count }, (_, i) => segmentOf(i + 1, `${word} said ${i}`)));

  it('getJson gives a complete transcript’s stored text as it is, a partial one assembled', () => {
    const complete = repos.transcripts.insert({
      mediaId,
      modelId: 'base',
      language: 'en',
      document: many('alpha', 3),
    });
    const found = repos.transcripts.getJson(complete.id)!;
    expect(found.documentJson.toString('utf8')).toBe(
      db.prepare('SELECT document FROM transcripts WHERE id = ?').pluck().get(complete.id),
    );
    const { document, ...head } = repos.transcripts.get(complete.id)!;
    expect(found.head).toEqual(head);
    expect(JSON.parse(found.documentJson.toString('utf8'))).toEqual(document);

    const partial = startPartial();
    repos.transcripts.appendPartial(partial.id, 1, [segmentOf(1, 'appended words')]);
    const assembled = repos.transcripts.getJson(partial.id)!;
    expect(JSON.parse(assembled.documentJson.toString('utf8'))).toEqual(
      repos.transcripts.get(partial.id)!.document,
    );
    expect(repos.transcripts.getJson('nope')).toBeUndefined();
  });

  it('getJson refuses a damaged row as get does', () => {
    const t = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: many('a', 1),
    });
    db.prepare(
      "UPDATE transcripts SET document = json_set(document, '$.version', 7) WHERE id = ?",
    ).run(t.id);
    expect(codeOf(() => repos.transcripts.getJson(t.id))).toBe('DATABASE_ERROR');
    db.prepare("UPDATE transcripts SET document = 'not json' WHERE id = ?").run(t.id);
    expect(codeOf(() => repos.transcripts.getJson(t.id))).toBe('DATABASE_ERROR');
  });

  it('stores the document and re-indexes it as update does, giving the loop back between slices', async () => {
    const viaUpdate = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: many('old'),
    });
    const viaReplace = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: many('old'),
    });
    const edited = many('new', 400);
    repos.transcripts.update(viaUpdate.id, 1, edited);
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const head = await repos.transcripts.replace(viaReplace.id, 1, prepared(edited));
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0);
    expect(head.version).toBe(2);
    expect(repos.transcripts.get(viaReplace.id)!.document).toEqual(edited);
    expect(searchTexts(viaReplace.id)).toEqual(searchTexts(viaUpdate.id));
    expect(searchTexts(viaReplace.id)).toHaveLength(400);
    const counts = db.prepare(
      'SELECT version, words, speakers FROM transcript_counts WHERE transcript_id = ?',
    );
    expect(counts.get(viaReplace.id)).toEqual(counts.get(viaUpdate.id));
  });

  it('refuses a stale version with CONFLICT and a missing transcript with NOT_FOUND', async () => {
    const t = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: many('old', 2),
    });
    await repos.transcripts.replace(t.id, 1, prepared(many('one', 2)));
    await expect(
      repos.transcripts.replace(t.id, 1, prepared(many('two', 2))),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { currentVersion: 2, expectedVersion: 1 },
    });
    await expect(
      repos.transcripts.replace('nope', 1, prepared(many('two', 2))),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(repos.transcripts.get(t.id)!.document).toEqual(many('one', 2));
  });

  it('a newer save made while one re-indexes takes over: the index ends as the newest document', async () => {
    const t = repos.transcripts.insert({
      mediaId,
      modelId: null,
      language: 'en',
      document: many('old'),
    });
    const first = repos.transcripts.replace(t.id, 1, prepared(many('first', 500)));
    // The first save's row is written; its slices run on later turns. An edit lands meanwhile.
    repos.transcripts.update(t.id, 2, many('second', 300));
    expect((await first).version).toBe(2);
    const texts = searchTexts(t.id);
    expect(texts).toHaveLength(300);
    expect(texts.every(({ text }) => text.startsWith('second'))).toBe(true);
  });
});

describe('completeInSlices', () => {
  it('completes as complete() does, search rows and counts included', async () => {
    const final = documentWith(
      Array.from({ length: 300 }, (_, i) => segmentOf(i + 1, `final words ${i}`)),
    );
    const made: string[] = [];
    for (const way of ['complete', 'completeInSlices'] as const) {
      const t = startPartial();
      repos.transcripts.appendPartial(
        t.id,
        1,
        Array.from({ length: 200 }, (_, i) => segmentOf(i + 1, `draft ${i}`)),
      );
      const fields = { language: 'en', cacheKey: `key-${way}` };
      const done =
        way === 'complete'
          ? repos.transcripts.complete(t.id, 2, final, fields)
          : await repos.transcripts.completeInSlices(t.id, 2, final, fields);
      expect(done).toMatchObject({ status: 'complete', version: 3, cacheKey: fields.cacheKey });
      expect(repos.transcripts.get(t.id)!.document).toEqual(final);
      made.push(t.id);
    }
    expect(searchTexts(made[1]!)).toEqual(searchTexts(made[0]!));
    expect(searchTexts(made[1]!)).toHaveLength(300);
    await expect(
      repos.transcripts.completeInSlices(made[1]!, 2, final, { language: 'en', cacheKey: null }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
