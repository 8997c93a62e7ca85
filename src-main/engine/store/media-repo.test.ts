import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { cue, documentOf } from '../exports/__fixtures__/sample-document';
import { openDatabase, type Db } from './database';
import { createMediaRepo } from './media-repo';
import { runMigrations } from './migrate';
import { migrations } from './migrations';
import { createRepositories, type Repositories } from './repositories';

let db: Db;
let repos: Repositories;
beforeEach(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
});

const addMedia = (name: string) =>
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

/** Two speakers, one segment per text. */
const docOf = (texts: string[]) =>
  documentOf(
    texts.map((text, i) => cue(`s${i}`, i % 2 ? 'b' : 'a', i * 2000, i * 2000 + 1000, [text])),
    [
      { id: 'a', name: 'Ana' },
      { id: 'b', name: 'Bob' },
    ],
  );

const countsOf = (list: ReturnType<Repositories['media']['listSummaries']>) =>
  list.items.map((item) => [item.name, item.transcript?.wordCount, item.transcript?.speakerCount]);

describe('word and speaker counts in the library list', () => {
  it('are stored with the transcript: a list after a restart reads them, not the documents', () => {
    const media = addMedia('talk.wav');
    repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: 'en',
      document: docOf(['one two three', 'four five']),
    });
    // Blank the document behind the repository's back: a list that parsed documents would now
    // count nothing.
    db.prepare(`UPDATE transcripts SET document = '{}'`).run();
    const afterRestart = createMediaRepo(db);
    expect(countsOf(afterRestart.listSummaries())).toEqual([['talk.wav', 5, 2]]);
    expect(afterRestart.getSummary(media.id)?.transcript).toMatchObject({
      wordCount: 5,
      speakerCount: 2,
    });
  });

  it('follow every save of the document', () => {
    const media = addMedia('talk.wav');
    const t = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: 'en',
      document: docOf(['one two three']),
      status: 'partial',
    });
    expect(countsOf(repos.media.listSummaries())).toEqual([['talk.wav', 3, 2]]);
    const saved = repos.transcripts.update(t.id, t.version, docOf(['one two three', 'four']));
    expect(countsOf(createMediaRepo(db).listSummaries())).toEqual([['talk.wav', 4, 2]]);
    repos.transcripts.complete(t.id, saved.version, docOf(['one']), {
      language: 'en',
      cacheKey: null,
    });
    expect(countsOf(createMediaRepo(db).listSummaries())).toEqual([['talk.wav', 1, 2]]);
    repos.transcripts.delete(t.id);
    expect(db.prepare('SELECT count(*) FROM transcript_counts').pluck().get()).toBe(0);
  });

  it('of transcripts saved before counts were stored are counted once and kept', () => {
    const media = addMedia('old.wav');
    const t = repos.transcripts.insert({
      mediaId: media.id,
      modelId: null,
      language: 'en',
      document: docOf(['six words said by', 'two people']),
    });
    db.prepare('DELETE FROM transcript_counts').run();
    expect(countsOf(createMediaRepo(db).listSummaries())).toEqual([['old.wav', 6, 2]]);
    expect(db.prepare('SELECT * FROM transcript_counts').all()).toEqual([
      { transcript_id: t.id, version: 1, words: 6, speakers: 2 },
    ]);
  });
});

describe('migration 0008', () => {
  it('gives items added before it their name keys: they sort and filter as new ones do', () => {
    const raw = new Database(':memory:');
    raw.pragma('foreign_keys = ON');
    runMigrations(
      raw,
      migrations.filter((m) => m.version < 8),
    );
    const insert = raw.prepare(
      `INSERT INTO media (id, path, name, size_bytes, duration_sec, container, audio_codec,
                          sample_rate, channels, created_at)
       VALUES (?, ?, ?, 1, ?, 'wav', 'pcm', 16000, 1, ?)`,
    );
    insert.run('m1', '/tmp/u.wav', 'Über Interview.wav', 30, '2024-01-01T00:00:00.000Z');
    insert.run('m2', '/tmp/z.wav', 'zulu.wav', 10, '2024-01-02T00:00:00.000Z');
    insert.run('m3', '/tmp/a.wav', 'alpha.wav', 20, '2024-01-03T00:00:00.000Z');
    runMigrations(raw, migrations);
    const repos = createRepositories(raw);
    repos.media.insert({
      path: '/tmp/b.wav',
      name: 'beta ÜBER.wav',
      sizeBytes: 1,
      durationSec: 5,
      container: 'wav',
      audioCodec: 'pcm',
      sampleRate: 16000,
      channels: 1,
      hasVideo: false,
    });
    const names = (query: Parameters<Repositories['media']['listSummaries']>[0]) =>
      repos.media.listSummaries(query).items.map((item) => item.name);
    expect(names({ sort: 'name' })).toEqual([
      'alpha.wav',
      'beta ÜBER.wav',
      'Über Interview.wav',
      'zulu.wav',
    ]);
    expect(names({ sort: 'duration' })).toEqual([
      'beta ÜBER.wav',
      'zulu.wav',
      'alpha.wav',
      'Über Interview.wav',
    ]);
    expect(names({ q: 'über' })).toEqual(['beta ÜBER.wav', 'Über Interview.wav']);
    expect(repos.media.listSummaries({ q: 'ÜBER' }).total).toBe(2);
    raw.close();
  });
});
