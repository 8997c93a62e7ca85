import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserSessionKeyFile, createBrowserSessions } from './browser-sessions';

let dataDir: string;
let clock: number;
const revoked = new Set<string>();
const tokens = { isActive: (id: string) => !revoked.has(id) };
const open = () => createBrowserSessions({ dataDir, tokens, now: () => clock });
const link = { id: 'session', scopes: ['admin' as const] };

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'studio-browser-sessions-'));
  clock = Date.parse('2026-12-07T22:00:00Z');
  revoked.clear();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('browser sessions', () => {
  it('creates its key once, and narrows a key file others can read to its owner', () => {
    const first = open().start(link).value;
    const key = readFileSync(join(dataDir, browserSessionKeyFile));
    expect(key.length).toBe(32);
    if (process.platform !== 'win32') {
      chmodSync(join(dataDir, browserSessionKeyFile), 0o644);
      expect(open().verify(first)).not.toBeNull();
      expect(statSync(join(dataDir, browserSessionKeyFile)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dataDir, browserSessionKeyFile))).toEqual(key);
  });

  it('refuses a payload changed without the key (scopes raised), and junk', () => {
    const sessions = open();
    const reader = sessions.start({ id: 'tok-1', scopes: ['read'] }).value;
    const [payload, mac] = reader.split('.');
    const raised = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    raised.scopes = ['admin'];
    const forged = `${Buffer.from(JSON.stringify(raised)).toString('base64url')}.${mac}`;
    expect(sessions.verify(forged)).toBeNull();
    for (const junk of ['', '.', 'abc', `${payload}.`, `.${mac}`, 'x'.repeat(5000)]) {
      expect(sessions.verify(junk), junk.slice(0, 20)).toBeNull();
    }
    expect(sessions.verify(reader)?.scopes).toEqual(['read']);
  });

  it('ends a session with its token, and tells listeners of a sign-out', async () => {
    const sessions = open();
    const { value, session } = sessions.start({ id: 'tok-2', scopes: ['admin'] });
    expect(sessions.isActive(session.id)).toBe(true);
    revoked.add('tok-2');
    expect(sessions.verify(value)).toBeNull();
    expect(sessions.isActive(session.id)).toBe(false);

    const other = sessions.start(link);
    const told: string[] = [];
    sessions.onEnded((id) => told.push(id));
    await sessions.end(other.session);
    expect(told).toEqual([other.session.id]);
    expect(sessions.isActive(other.session.id)).toBe(false);
  });

  it('keeps in its sign-out list only sessions that have not expired anyway', async () => {
    const sessions = open();
    const old = sessions.start(link).session;
    clock += 20 * 24 * 3600_000;
    const recent = sessions.start(link).session;
    await sessions.end(old);
    clock += 15 * 24 * 3600_000; // `old` has expired by now, `recent` has not
    await sessions.end(recent);
    const list = JSON.parse(readFileSync(join(dataDir, 'browser-sessions-ended.json'), 'utf8'));
    expect(Object.keys(list)).toEqual([recent.id.replace(/^browser-/, '')]);
  });

  it('says what to do about a damaged key file', () => {
    writeFileSync(join(dataDir, browserSessionKeyFile), 'short');
    expect(() => open().start(link)).toThrow(/damaged.*Delete it and restart/);
  });
});
