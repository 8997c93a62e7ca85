import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetRules } from '../captions/presets';
import { emptyDocument } from '../documents/build-document';
import { dataLayout } from '../paths';
import { createSettingsService } from '../settings/settings-service';
import { openDatabase, type Db } from '../store/database';
import { createRepositories, type Repositories } from '../store/repositories';
import { speech } from '../whisper/__fixtures__/whisper-fixtures';
import { createMediaService, type MediaService } from './media-service';
import { peaksCacheFile } from './peaks';

const work = mkdtempSync(join(tmpdir(), 'studio-media-service-'));
const layout = dataLayout(join(work, 'data'));
const userDir = join(work, 'user');
let db: Db;
let repos: Repositories;
let media: MediaService;

beforeAll(() => {
  db = openDatabase(':memory:');
  repos = createRepositories(db);
  media = createMediaService({
    repo: repos.media,
    settings: createSettingsService(repos.settings),
    env: process.env,
    peaksDir: layout.peaks,
    uploadsDir: layout.uploads,
  });
  mkdirSync(layout.uploads, { recursive: true });
  mkdirSync(userDir);
});
afterAll(() => {
  db.close();
  rmSync(work, { recursive: true, force: true });
});

const document = emptyDocument({
  durationMs: 11_000,
  modelId: null,
  modelSha256: null,
  params: {},
  engineVersion: 'test',
  captions: { preset: 'broadcast', rules: presetRules('broadcast') },
});

describe('media service', () => {
  it('adds an upload under the name the user gave it', async () => {
    const stored = join(layout.uploads, 'jfk-0123456789ab.wav');
    copyFileSync(speech.jfk, stored);
    const item = await media.add(stored, { name: 'jfk.wav' });
    expect(item).toMatchObject({ path: stored, name: 'jfk.wav', durationSec: 11 });
  });

  it('removes an uploaded file with its item, transcripts and peaks', async () => {
    const stored = join(layout.uploads, 'talk-0123456789ab.wav');
    copyFileSync(speech.jfk, stored);
    const item = await media.add(stored, { name: 'talk.wav' });
    const transcript = repos.transcripts.insert({
      mediaId: item.id,
      modelId: null,
      language: 'en',
      document,
    });
    await media.peaks(item.id);
    expect(existsSync(peaksCacheFile(layout.peaks, item.id))).toBe(true);

    await media.remove(item.id);
    expect(repos.media.get(item.id)).toBeUndefined();
    expect(repos.transcripts.get(transcript.id)).toBeUndefined();
    expect(existsSync(peaksCacheFile(layout.peaks, item.id))).toBe(false);
    expect(existsSync(stored)).toBe(false);
  });

  it('never deletes a file that was added by path, even one beside the uploads folder', async () => {
    const mine = join(userDir, 'mine.wav');
    const sibling = `${layout.uploads}-not-uploads.wav`;
    copyFileSync(speech.jfk, mine);
    copyFileSync(speech.jfk, sibling);
    for (const path of [mine, sibling]) {
      const item = await media.add(path);
      expect(item.name).toBe(path.split('/').at(-1));
      await media.remove(item.id);
      expect(existsSync(path)).toBe(true);
    }
  });

  it('adds nothing when the probe refuses the file', async () => {
    const notes = join(userDir, 'notes.txt');
    writeFileSync(notes, 'no sound in here\n');
    await expect(media.add(notes)).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
    expect(repos.media.list().some((m) => m.path === notes)).toBe(false);
  });

  it('refuses to remove an unknown item', async () => {
    await expect(media.remove('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
