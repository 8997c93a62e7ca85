import { afterEach, describe, expect, it } from 'vitest';
import { publishCaptions, subscribeCaptions, type CaptionSnapshot } from './caption-feed';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** Resolves with the next snapshot `subscribeCaptions` delivers. */
function nextSnapshot(): { first: Promise<CaptionSnapshot>; all: CaptionSnapshot[] } {
  const all: CaptionSnapshot[] = [];
  let resolve!: (captions: CaptionSnapshot) => void;
  const first = new Promise<CaptionSnapshot>((r) => (resolve = r));
  closers.push(
    subscribeCaptions((captions) => {
      all.push(captions);
      resolve(captions);
    }),
  );
  return { first, all };
}

describe('caption feed', () => {
  it("answers an overlay's hello with the captions as they stand", async () => {
    const current = { committed: 'And so my fellow', partial: 'Americans', live: true };
    const publisher = publishCaptions(() => current);
    closers.push(publisher.close);
    expect(await nextSnapshot().first).toEqual(current);
  });

  it('delivers every snapshot the live view posts', async () => {
    const publisher = publishCaptions(() => ({ committed: '', partial: '', live: false }));
    closers.push(publisher.close);
    const feed = nextSnapshot();
    await feed.first; // the hello's answer
    publisher.post({ committed: 'ask not', partial: '', live: true });
    await expect
      .poll(() => feed.all.at(-1))
      .toEqual({
        committed: 'ask not',
        partial: '',
        live: true,
      });
  });
});
