import { describe, expect, it } from 'vitest';
import { checkDocument, makeDocument, texts } from './__fixtures__/make-document';
import { setWordText, splitSegment } from './doc-ops';
import { createDocumentStore } from './document-store';

const doc = () => makeDocument([{ speaker: 'A', lines: [['one', 'two', 'three']] }]);

describe('document store', () => {
  it('undoes and redoes every step, without limit', () => {
    const store = createDocumentStore(doc());
    const { apply, undo, redo } = store.getState();
    for (let i = 0; i < 200; i++) apply('Edit word', (d) => setWordText(d, 'w0', `v${i}`));
    apply('Split segment', (d) => splitSegment(d, 'w2'));
    checkDocument(store.getState().doc);
    expect(texts(store.getState().doc)).toEqual([['v199 two'], ['three']]);
    undo();
    expect(texts(store.getState().doc)).toEqual([['v199 two three']]);
    for (let i = 0; i < 200; i++) undo();
    expect(store.getState().doc).toEqual(doc());
    undo();
    expect(store.getState().past).toHaveLength(0);
    redo();
    redo();
    expect(texts(store.getState().doc)).toEqual([['v1 two three']]);
    expect(store.getState().future).toHaveLength(199);
  });

  it('counts revisions, drops the redo branch on a new edit and ignores no-op edits', () => {
    const store = createDocumentStore(doc());
    const { apply, undo } = store.getState();
    expect(apply('Edit word', (d) => setWordText(d, 'w0', 'uno'))).toBe(true);
    undo();
    expect(store.getState().future).toHaveLength(1);
    expect(apply('Edit word', (d) => setWordText(d, 'w1', 'dos'))).toBe(true);
    expect(store.getState().future).toHaveLength(0);
    expect(apply('Edit word', (d) => setWordText(d, 'w1', 'dos'))).toBe(false);
    expect(store.getState().revision).toBe(3);
  });

  it('leaves the document as it was when an edit throws', () => {
    const store = createDocumentStore(doc());
    const before = store.getState().doc;
    expect(() => store.getState().apply('Split', (d) => splitSegment(d, 'w0'))).toThrow();
    expect(store.getState().doc).toBe(before);
    expect(store.getState().past).toHaveLength(0);
  });

  it('reset replaces the document and forgets the history', () => {
    const store = createDocumentStore(doc());
    store.getState().apply('Edit word', (d) => setWordText(d, 'w0', 'x'));
    store.getState().reset(doc());
    expect(store.getState().past).toHaveLength(0);
    expect(texts(store.getState().doc)).toEqual([['one two three']]);
  });
});
