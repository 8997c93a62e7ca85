/**
 * Streams an audio file to `WS /v1/live` in real time and prints the captions: the tentative
 * tail overwritten in place, committed text on its own lines.
 *
 *   STUDIO_TOKEN=… npx tsx examples/live-client.ts talk.wav
 *
 * STUDIO_TOKEN: an API token with the `live` scope (`cli token create --scopes live`).
 * STUDIO_URL: the server (default http://127.0.0.1:8770). A 16 kHz mono PCM16 WAV is sent as
 * is; any other file is converted with ffmpeg.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { LiveServerMessage } from '../src-main/contract/live';

const sampleRate = 16_000;
const frameBytes = (sampleRate / 10) * 2; // 100 ms of 16-bit samples

/** The samples of a canonical 16 kHz mono PCM16 WAV (44-byte header), or undefined. */
function plainWavPcm(bytes: Buffer): Buffer | undefined {
  const canonical =
    bytes.length >= 44 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WAVE' &&
    bytes.toString('ascii', 12, 16) === 'fmt ' &&
    bytes.readUInt16LE(20) === 1 && // PCM
    bytes.readUInt16LE(22) === 1 && // mono
    bytes.readUInt32LE(24) === sampleRate &&
    bytes.readUInt16LE(34) === 16 &&
    bytes.toString('ascii', 36, 40) === 'data';
  return canonical ? bytes.subarray(44) : undefined;
}

/** Any audio file as raw 16 kHz mono PCM16, via ffmpeg. */
function convertWithFfmpeg(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn(
      'ffmpeg',
      ['-v', 'error', '-i', file, '-ac', '1', '-ar', String(sampleRate), '-f', 's16le', '-'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const chunks: Buffer[] = [];
    ffmpeg.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    ffmpeg.once('error', (error) =>
      reject(
        new Error(
          `Could not run ffmpeg (${error.message}); install it or pass a 16 kHz mono PCM16 WAV.`,
        ),
      ),
    );
    ffmpeg.once('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(chunks))
        : reject(new Error(`ffmpeg could not decode ${file} (exit code ${code}).`)),
    );
  });
}

async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  const token = process.env.STUDIO_TOKEN;
  if (!file || !token) {
    throw new Error(
      'Usage: STUDIO_TOKEN=<token with scope live> npx tsx examples/live-client.ts <audio file>',
    );
  }
  const pcm = plainWavPcm(readFileSync(file)) ?? (await convertWithFfmpeg(file));

  const url = new URL('/v1/live', process.env.STUDIO_URL ?? 'http://127.0.0.1:8770');
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });

  let partial = '';
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as LiveServerMessage;
      if (message.type === 'partial') {
        // Overwrite the previous tentative line (padding clears a longer one); \r only returns
        // to the start of a line that has not wrapped, so show at most the terminal's width.
        const width = (process.stdout.columns || 80) - 1;
        const text =
          message.text.length > width ? `…${message.text.slice(1 - width)}` : message.text;
        process.stdout.write(`\r${text.padEnd(partial.length)}`);
        partial = text;
      } else if (message.type === 'final') {
        process.stdout.write(`\r${message.text.padEnd(partial.length)}\n`);
        partial = '';
      } else if (message.type === 'lag') {
        process.stderr.write(`\n[decoding is ${message.behindMs} ms behind]\n`);
      } else if (message.type === 'error') {
        process.stderr.write(`\n[${message.code}] ${message.message}\n`);
      }
    });
    socket.once('open', () => sendInRealTime(socket, pcm).catch(reject));
    socket.once('error', (error) =>
      reject(
        new Error(`${error.message} (check STUDIO_URL, and that STUDIO_TOKEN has scope live)`),
      ),
    );
    socket.once('close', (code, reason) =>
      code === 1000
        ? resolve()
        : reject(new Error(`The server closed the stream (${code}): ${String(reason)}`)),
    );
  });
}

/** 100 ms frames, frame i at start + i × 100 ms whatever the timers' drift; then `stop`. */
async function sendInRealTime(socket: WebSocket, pcm: Buffer): Promise<void> {
  const start = performance.now();
  for (let i = 0, at = 0; at < pcm.length && socket.readyState === socket.OPEN; i++) {
    const due = start + i * 100 - performance.now();
    if (due > 0) await sleep(due);
    socket.send(pcm.subarray(at, (at += frameBytes)));
  }
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'stop' }));
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
