import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TranscriptDocument } from '../../../../src-main/contract/document';
import { makeDocument } from './__fixtures__/make-document';
import { createAutosaver, type SaveStatus } from './autosave';
import { setWordText } from './doc-ops';
import { createDocumentStore } from './document-store';

class Conflict extends Error {}

function setup(save: (doc: TranscriptDocument, version: number) => Promise<{ version: number }>) {
  const store = createDocumentStore(makeDocument([{ lines: [['one', 'two']] }]));
  const statuses: SaveStatus[] = [];
  const saver = createAutosaver({
    store,
    version: 3,
    save,
    isConflict: (error) => error instanceof Conflict,
    onStatus: (status) => statuses.push(status),
  });
  saver.start();
  const edit = (text: string) => store.getState().apply('Edit', (d) => setWordText(d, 'w0', text));
  return { store, saver, statuses, edit };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('saves once, a second after the last of several quick changes, with the version', async () => {
    const save = vi.fn(async (_doc: TranscriptDocument, version: number) => ({
      version: version + 1,
    }));
    const { saver, statuses, edit } = setup(save);
    edit('a');
    await vi.advanceTimersByTimeAsync(600);
    edit('b');
    await vi.advanceTimersByTimeAsync(600);
    expect(save).not.toHaveBeenCalled();
    expect(saver.status()).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(400);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]![1]).toBe(3);
    expect(save.mock.calls[0]![0].segments[0]!.lines[0]!.words[0]!.text).toBe('b');
    expect(saver.status()).toBe('saved');
    expect(statuses).toEqual(['unsaved', 'saving', 'saved']);
    edit('c');
    await saver.flush();
    expect(save.mock.calls[1]![1]).toBe(4);
    expect(saver.dirty()).toBe(false);
  });

  it('saves again when an edit lands while a save is under way', async () => {
    let release: (() => void) | undefined;
    const save = vi.fn(
      (_doc: TranscriptDocument, version: number) =>
        new Promise<{ version: number }>((resolve) => {
          release = () => resolve({ version: version + 1 });
        }),
    );
    const { saver, edit } = setup(save);
    edit('a');
    const first = saver.flush();
    edit('b');
    release!();
    await first;
    expect(saver.status()).toBe('unsaved');
    await vi.advanceTimersByTimeAsync(1000);
    release!();
    await saver.flush();
    expect(save).toHaveBeenCalledTimes(2);
    expect(save.mock.calls[1]![1]).toBe(4);
    expect(saver.status()).toBe('saved');
  });

  it('stops on a conflict until the person chooses, and never overwrites by itself', async () => {
    const save = vi.fn(async (_doc: TranscriptDocument, version: number) => {
      if (version === 3) throw new Conflict('changed elsewhere');
      return { version: version + 1 };
    });
    const { saver, store, edit } = setup(save);
    edit('a');
    await saver.flush();
    expect(saver.status()).toBe('conflict');
    edit('b');
    await vi.advanceTimersByTimeAsync(5000);
    expect(save).toHaveBeenCalledTimes(1);
    await saver.overwrite(7);
    expect(save).toHaveBeenCalledTimes(2);
    expect(save.mock.calls[1]![1]).toBe(7);
    expect(saver.status()).toBe('saved');

    // "Load theirs": the store takes the server copy, which counts as saved.
    store.getState().reset(makeDocument([{ lines: [['theirs']] }]));
    saver.adopt(9);
    expect(saver.dirty()).toBe(false);
    edit('c');
    await saver.flush();
    expect(save.mock.calls[2]![1]).toBe(9);
  });

  it('reports other errors and tries again on the next change', async () => {
    const save = vi
      .fn<(doc: TranscriptDocument, version: number) => Promise<{ version: number }>>()
      .mockRejectedValueOnce(new Error('unreachable'))
      .mockResolvedValue({ version: 4 });
    const { saver, edit } = setup(save);
    edit('a');
    await saver.flush();
    expect(saver.status()).toBe('error');
    edit('b');
    await vi.advanceTimersByTimeAsync(1000);
    expect(saver.status()).toBe('saved');
  });

  describe('a change the server makes itself', () => {
    const renamed = (doc: TranscriptDocument) => ({
      ...doc,
      speakers: [{ id: 'S1', name: 'Alice' }],
    });

    it('saves pending edits first, then takes the server copy as saved and undoable', async () => {
      const save = vi.fn(async (_doc: TranscriptDocument, version: number) => ({
        version: version + 1,
      }));
      const { saver, store, edit } = setup(save);
      edit('mine');
      const before = store.getState().doc;
      await saver.serverChange(
        'Remember voice',
        async () => {
          // The server saw the edit before it changed the document.
          expect(save).toHaveBeenCalledTimes(1);
          return { document: renamed(store.getState().doc), version: 5 };
        },
        renamed,
      );
      expect(store.getState().doc.speakers).toEqual([{ id: 'S1', name: 'Alice' }]);
      expect(store.getState().past.at(-1)?.label).toBe('Remember voice');
      expect(saver.dirty()).toBe(false);
      expect(saver.status()).toBe('saved');
      // The next edit is saved on the server's version: no conflict.
      edit('next');
      await saver.flush();
      expect(save.mock.calls[1]![1]).toBe(5);
      // Undo reaches back past the server's change.
      store.getState().undo();
      store.getState().undo();
      expect(store.getState().doc).toBe(before);
    });

    it('holds saves while the server works and puts its change under later edits', async () => {
      const save = vi.fn(async (_doc: TranscriptDocument, version: number) => ({
        version: version + 1,
      }));
      const { saver, store, edit } = setup(save);
      await saver.serverChange(
        'Confirm voice',
        async () => {
          const server = renamed(store.getState().doc);
          edit('meanwhile');
          await vi.advanceTimersByTimeAsync(5000);
          expect(save).not.toHaveBeenCalled();
          return { document: server, version: 8 };
        },
        renamed,
      );
      expect(saver.status()).toBe('unsaved');
      await vi.advanceTimersByTimeAsync(1000);
      expect(save).toHaveBeenCalledTimes(1);
      const [saved, version] = save.mock.calls[0]!;
      expect(version).toBe(8);
      expect(saved.speakers).toEqual([{ id: 'S1', name: 'Alice' }]);
      expect(saved.segments[0]!.lines[0]!.words[0]!.text).toBe('meanwhile');
    });

    it('refuses during a conflict, leaving everything as it was', async () => {
      const save = vi.fn(async () => {
        throw new Conflict('changed elsewhere');
      });
      const { saver, store, edit } = setup(save);
      edit('a');
      await saver.flush();
      const doc = store.getState().doc;
      const change = vi.fn(async () => ({ document: renamed(doc), version: 9 }));
      await expect(saver.serverChange('Remember voice', change, renamed)).rejects.toThrow(
        /changed elsewhere/,
      );
      expect(change).not.toHaveBeenCalled();
      expect(store.getState().doc).toBe(doc);
      expect(saver.status()).toBe('conflict');
    });
  });
});
