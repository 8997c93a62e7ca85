/**
 * WebSocket frames built by hand (RFC 6455 §5.2), for what no WebSocket client sends: unmasked
 * client frames, reserved bits, unknown opcodes, lying lengths, broken close frames, invalid
 * UTF-8 in text frames. A session upgrades over a bare socket, writes the frames, and reports how
 * the server closed: its close code and whether it hung up (a close frame from the server is
 * answered, as the protocol asks of a client).
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { encodeRequest, upgradeHeaders } from './raw-http';

export const opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export interface FrameOptions {
  /** @default true */
  fin?: boolean;
  /** RSV1..3 as bits 0b100, 0b010, 0b001. @default 0 */
  rsv?: number;
  /** Client frames must be masked. @default true */
  mask?: boolean;
  /** A payload length to declare instead of the real one (the payload is still what is given). */
  declaredLength?: bigint;
}

export function wsFrame(op: number, payload: Buffer | string, options: FrameOptions = {}): Buffer {
  const { fin = true, rsv = 0, mask = true } = options;
  const data = Buffer.from(payload);
  const length = options.declaredLength ?? BigInt(data.length);
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (op & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(maskBit | Number(length));
  else if (length < 65536n) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), extended, data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), extended, key, masked]);
}

/** A close frame's payload: the code, then the reason. */
export const closePayload = (code: number, reason = ''): Buffer => {
  const out = Buffer.alloc(2 + Buffer.byteLength(reason));
  out.writeUInt16BE(code);
  out.write(reason, 2);
  return out;
};

export interface RawWsResult {
  /** The HTTP status of the upgrade answer (101 when accepted). */
  status: number;
  /** Text frames the server sent, parsed where they are JSON. */
  messages: unknown[];
  /** The server's close frame, if it sent one. */
  close: { code: number; reason: string } | undefined;
  /** The server ended the TCP connection within the time limit. */
  hungUp: boolean;
}

/**
 * Upgrades `path` on 127.0.0.1:`port` with `headers` (Host included), waits for `ready` text
 * frames (e.g. the `ready` event of /v1/live), writes `frames`, and reads until the server hangs
 * up or `timeoutMs` passes.
 */
export function rawWsSession(
  port: number,
  path: string,
  headers: [string, string][],
  frames: Buffer[],
  { timeoutMs = 5000, waitForMessages = 1 }: { timeoutMs?: number; waitForMessages?: number } = {},
): Promise<RawWsResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    let status = 0;
    let sent = false;
    const result: RawWsResult = { status: 0, messages: [], close: undefined, hungUp: false };
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...result, status });
    };
    const timer = setTimeout(finish, timeoutMs);
    const sendFrames = () => {
      if (sent) return;
      sent = true;
      for (const frame of frames) socket.write(frame);
    };
    const parseFrames = () => {
      for (;;) {
        if (buffer.length < 2) return;
        const op = buffer[0]! & 0x0f;
        let length = buffer[1]! & 0x7f;
        let at = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          at = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          at = 10;
        }
        if (buffer.length < at + length) return;
        const payload = buffer.subarray(at, at + length);
        buffer = buffer.subarray(at + length);
        if (op === opcode.text) {
          const text = payload.toString('utf8');
          try {
            result.messages.push(JSON.parse(text));
          } catch {
            result.messages.push(text);
          }
        } else if (op === opcode.close) {
          result.close = {
            code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005,
            reason: payload.subarray(2).toString('utf8'),
          };
          // Complete the closing handshake as a client must; the server then ends the connection.
          if (socket.writable) socket.write(wsFrame(opcode.close, payload.subarray(0, 2)));
        }
        if (result.messages.length >= waitForMessages) sendFrames();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (status === 0) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        status = Number(
          /^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1],
        );
        buffer = buffer.subarray(end + 4);
        if (status !== 101) return;
        if (waitForMessages === 0) sendFrames();
      }
      parseFrames();
    });
    socket.on('end', () => {
      result.hungUp = true;
      finish();
    });
    socket.on('close', () => {
      result.hungUp = true;
      finish();
    });
    socket.on('error', (error) => {
      if (status === 0) return reject(error);
      // A reset after the upgrade is the server hanging up too.
      result.hungUp = true;
      finish();
    });
    socket.write(encodeRequest({ path, headers: [...headers, ...upgradeHeaders()] }));
  });
}
