import { liveServerMessage, type LiveServerMessage } from '../../../../src-main/contract/live';

export interface LiveParams {
  /** One-use ticket from POST /v1/ws-tickets (a browser cannot send an Authorization header). */
  ticket: string;
  /** A ready Whisper model; null lets the engine pick its default. */
  model: string | null;
  /** ISO 639-1 code or 'auto'. */
  language: string;
  /** Keep the recording and its transcript in the library. */
  save: boolean;
}

/** The `/v1/live` path with its query (see contract/live.ts `liveQuery`). */
export function liveSocketPath({ ticket, model, language, save }: LiveParams): string {
  const query = new URLSearchParams({ ticket, language });
  if (model) query.set('model', model);
  if (!save) query.set('save', 'false');
  return `/v1/live?${query.toString()}`;
}

/** A text frame from the server as a contract message; null for anything else. */
export function parseServerMessage(data: unknown): LiveServerMessage | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = liveServerMessage.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** 100 ms of 16 kHz audio: small enough for quick captions, well under the 1 s frame limit. */
export const frameSamples = 1600;

/** Bytes of PCM16 per ms of 16 kHz mono audio. */
export const bytesPerMs = 32;
