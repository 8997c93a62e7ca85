import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../engine/create-engine';
import { registerTokenCommands } from './token';
import { runCommand } from '../__fixtures__/run-command';

const dataDir = mkdtempSync(join(tmpdir(), 'token-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const run = (args: string[]) => runCommand(registerTokenCommands, dataDir, ['token', ...args]);

describe('token commands', () => {
  it('creates, lists and revokes a token that the engine then verifies or refuses', async () => {
    const created = await run(['create', '--scopes', 'read,transcribe', '--name', 'ci']);
    const token = created.stdout.trim();
    expect(token).toMatch(/^sts_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/cannot be shown again/);

    const db = new Database(join(dataDir, 'library.db'), { readonly: true });
    const stored = db.prepare('SELECT * FROM api_tokens').all();
    db.close();
    expect(JSON.stringify(stored)).not.toContain(token);

    const listed = (await run(['list'])).stdout;
    expect(listed).toMatch(/^ID\s+NAME\s+SCOPES\s+CREATED\s+LAST USED\s+STATUS/);
    expect(listed).toMatch(/ci\s+read,transcribe\s+\S+ \S+\s+-\s+active/);
    expect(listed).not.toContain(token);

    const [info] = (
      JSON.parse((await run(['list', '--json'])).stdout) as { tokens: { id: string }[] }
    ).tokens;
    const engine = createEngine({ dataDir });
    try {
      expect(engine.tokens.verify(token)).toEqual({ id: info!.id, scopes: ['read', 'transcribe'] });
    } finally {
      await engine.shutdown();
    }

    expect((await run(['revoke', info!.id])).stdout).toBe(`Revoked ${info!.id}.\n`);
    expect((await run(['list'])).stdout).toMatch(/revoked \d{4}-/);
    const after = createEngine({ dataDir });
    try {
      expect(after.tokens.verify(token)).toBeNull();
    } finally {
      await after.shutdown();
    }
  });

  it('refuses an unknown scope and an unknown id clearly', async () => {
    await expect(run(['create', '--scopes', 'read,write'])).rejects.toThrow(
      'Unknown scope "write"; choose from read, transcribe, live, admin.',
    );
    await expect(run(['revoke', 'no-such-id'])).rejects.toThrow(
      expect.objectContaining({
        code: 'NOT_FOUND',
        message: expect.stringContaining('no-such-id'),
      }),
    );
    await expect(run(['create'])).rejects.toThrow(/--scopes/);
  });
});
