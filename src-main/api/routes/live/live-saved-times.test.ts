/**
 * A saved live session carries the word times of the decodes that produced its captions: real
 * speech streamed over `WS /v1/live`, then the stored transcript read back over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptDocument } from '../../../contract/document';
import type { Engine } from '../../../engine/create-engine';
import { MIN_WORD_MS } from '../../../engine/documents/span-times';
import { createTestEngine } from '../../../engine/test-support/test-engine';
import { readWav16kMono, speech } from '../../../engine/whisper/__fixtures__/whisper-fixtures';
import { startServer, type RunningServer } from '../../server';
import { connect, toPcm16 } from '../events/ws-test-client';

const work = mkdtempSync(join(tmpdir(), 'studio-live-times-'));
let engine: Engine;
let server: RunningServer;
const jfk = toPcm16(readWav16kMono(speech.jfk));
const audioMs = 11_000;

beforeAll(async () => {
  // tiny-random (real shapes, random weights) and the Silero VAD, as the live tests use.
  engine = await createTestEngine(join(work, 'data'));
  server = await startServer({ engine });
}, 120_000);
afterAll(async () => {
  await server.close();
  await engine.shutdown();
  rmSync(work, { recursive: true, force: true });
});

/** Streams `pcm` at about 4× real time in 100 ms frames, stops, and returns the saved document. */
async function liveSession(pcm: Buffer): Promise<TranscriptDocument> {
  const auth = { authorization: `Bearer ${engine.tokens.sessionToken(['live', 'read'])}` };
  const socket = await connect(`${server.url.replace(/^http/, 'ws')}/v1/live?language=en`, auth);
  await socket.next('ready');
  for (let at = 0; at < pcm.length; at += 3200) {
    socket.ws.send(pcm.subarray(at, at + 3200));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  socket.ws.send(JSON.stringify({ type: 'stop' }));
  expect((await socket.closed).code).toBe(1000);
  const end = socket.messages.at(-1)!;
  expect(end).toMatchObject({ type: 'end', transcriptId: expect.any(String) });
  const reply = await fetch(`${server.url}/v1/transcripts/${String(end.transcriptId)}`, {
    headers: auth,
  });
  expect(reply.status).toBe(200);
  return ((await reply.json()) as { document: TranscriptDocument }).document;
}

describe('a saved live session', () => {
  it('has word times from its decodes (not piled up at 10 ms each) and valid, ordered segments', async () => {
    const doc = await liveSession(jfk);
    expect(doc.durationMs).toBe(audioMs);
    const words = doc.segments.flatMap((s) => s.lines.flatMap((l) => l.words));
    expect(words.length).toBeGreaterThan(5);

    // Every word lies within the audio, in order, without overlapping the one before.
    let previousEnd = 0;
    for (const word of words) {
      expect(word.start).toBeGreaterThanOrEqual(previousEnd);
      expect(word.end).toBeGreaterThanOrEqual(word.start);
      expect(word.end).toBeLessThanOrEqual(audioMs);
      previousEnd = word.end;
    }

    // Segments are ordered, do not overlap, and hold their lines and words.
    let segmentEnd = 0;
    for (const segment of doc.segments) {
      expect(segment.start).toBeGreaterThanOrEqual(segmentEnd);
      expect(segment.end).toBeGreaterThan(segment.start);
      for (const line of segment.lines) {
        expect(line.start).toBeGreaterThanOrEqual(segment.start);
        expect(line.end).toBeLessThanOrEqual(segment.end);
        for (const word of line.words) {
          expect(word.start).toBeGreaterThanOrEqual(line.start);
          expect(word.end).toBeLessThanOrEqual(line.end);
        }
      }
      segmentEnd = segment.end;
    }

    // Word lengths come from the decodes: not the builder's 10 ms floor for words whose times
    // were lost (the bug: most words 10 ms, captions starting a few ms apart).
    const durations = words.map((w) => w.end - w.start).sort((a, b) => a - b);
    const atFloor = durations.filter((d) => d <= MIN_WORD_MS).length;
    const median = durations[Math.floor(durations.length / 2)]!;
    expect(atFloor / words.length, `${atFloor} of ${words.length} words at 10 ms`).toBeLessThan(
      0.1,
    );
    expect(median, 'median word length, ms').toBeGreaterThanOrEqual(50);
    const shortCaptions = doc.segments.filter((s) => s.end - s.start < 200);
    expect(shortCaptions).toEqual([]);
  }, 180_000);
});
