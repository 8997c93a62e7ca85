import { z } from 'zod';

/**
 * Live captions travel from the studio's live view to every caption overlay (a pop-up, a
 * Picture-in-Picture window or the Electron overlay window) on this same-origin channel.
 */
export const captionChannelName = 'studio-live-captions';

const snapshot = z.object({
  /** The end of the committed text (the overlay shows the last lines that fit). */
  committed: z.string(),
  /** The tentative words after it. */
  partial: z.string(),
  /** A session is running (or finishing). */
  live: z.boolean(),
});
export type CaptionSnapshot = z.infer<typeof snapshot>;

export const captionMessage = z.discriminatedUnion('type', [
  /** The captions as they stand now; each replaces the previous one. */
  snapshot.extend({ type: z.literal('captions') }),
  /** Sent by an overlay when it opens: the live view answers with a `captions` message. */
  z.object({ type: z.literal('hello') }),
]);
export type CaptionMessage = z.infer<typeof captionMessage>;

export const noCaptions: CaptionSnapshot = { committed: '', partial: '', live: false };

export interface CaptionPublisher {
  post(captions: CaptionSnapshot): void;
  close(): void;
}

/** The live view's side: posts snapshots and answers an overlay's hello with `current()`. */
export function publishCaptions(current: () => CaptionSnapshot): CaptionPublisher {
  const channel = new BroadcastChannel(captionChannelName);
  const post = (captions: CaptionSnapshot) =>
    channel.postMessage({ type: 'captions', ...captions } satisfies CaptionMessage);
  channel.onmessage = (event: MessageEvent) => {
    if (captionMessage.safeParse(event.data).data?.type === 'hello') post(current());
  };
  return { post, close: () => channel.close() };
}

/** An overlay's side: calls `onCaptions` with every snapshot; asks for the current one first. */
export function subscribeCaptions(onCaptions: (captions: CaptionSnapshot) => void): () => void {
  const channel = new BroadcastChannel(captionChannelName);
  channel.onmessage = (event: MessageEvent) => {
    const message = captionMessage.safeParse(event.data).data;
    if (message?.type === 'captions') {
      onCaptions({ committed: message.committed, partial: message.partial, live: message.live });
    }
  };
  channel.postMessage({ type: 'hello' } satisfies CaptionMessage);
  return () => channel.close();
}
