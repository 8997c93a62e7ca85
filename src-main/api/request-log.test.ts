import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSecrets } from './request-log';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-request-log-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('redactSecrets', () => {
  it('blanks the secrets in query strings and any token, keeping everything else', () => {
    const sig = 'q0H1Xw-abcdefghijklmnopqrstuvwxyz0123456789_';
    expect(redactSecrets(`/v1/media/a%20b/file?exp=1760000000&tid=abc-1&sig=${sig}`)).toBe(
      '/v1/media/a%20b/file?exp=1760000000&tid=abc-1&sig=[redacted]',
    );
    expect(redactSecrets('/v1/events?jobId=j1&ticket=wst_abc&x=1')).toBe(
      '/v1/events?jobId=j1&ticket=[redacted]&x=1',
    );
    for (const name of ['token', 'access_token', 'api_key', 'Authorization', 'TICKET', 'Sig']) {
      expect(redactSecrets(`/v1/x?a=1&${name}=s3cret#f`), name).toBe(
        `/v1/x?a=1&${name}=[redacted]#f`,
      );
    }
    // A token or ticket anywhere else: in the path, in a message, in JSON.
    const token = `sts_${'A'.repeat(43)}`;
    expect(redactSecrets(`{"msg":"bad ${token}","url":"/v1/${token}/x"}`)).toBe(
      '{"msg":"bad sts_[redacted]","url":"/v1/sts_[redacted]/x"}',
    );
    expect(redactSecrets('"ticket wst_Zm9vYmFy-_ used"')).toBe('"ticket wst_[redacted] used"');
    // A bearer credential that is not one of ours, in a header quoted in a message.
    expect(redactSecrets('{"authorization":"Bearer ey.J-x_1"}')).toBe(
      '{"authorization":"Bearer [redacted]"}',
    );
    // Nothing secret: unchanged.
    const plain = '/v1/media?q=signature&limit=5&designation=x';
    expect(redactSecrets(plain)).toBe(plain);
  });
});

describe('serve --log', () => {
  it('logs each request without the signed-URL signature, ticket or token in it', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/cli/main.ts',
        '--data-dir',
        join(work, 'data'),
        'serve',
        '--port',
        '0',
        '--log',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const waitFor = async (check: () => boolean, what: string) => {
        for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
        if (!check()) throw new Error(`No ${what} within 20 s:\n${stdout}\n${stderr}`);
      };
      await waitFor(() => /Open the studio: \S+#token=sts_/.test(stdout), 'URL line');
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const uiToken = /#token=(sts_[\w-]+)/.exec(stdout)![1]!;

      const secrets = {
        sig: 'SIGsecretSIGsecretSIGsecretSIGsecretSIGsecr',
        ticket: 'wst_TICKETsecretTICKETsecretTICKETsec',
        token: uiToken,
        accessToken: 'ACCESSsecretACCESSsecret',
      };
      const paths = [
        `/v1/media/some-id/file?exp=99999999999&tid=session&sig=${secrets.sig}`,
        `/v1/events?ticket=${secrets.ticket}`,
        `/health?token=${secrets.token}`,
        `/v1/media?access_token=${secrets.accessToken}`,
      ];
      for (const path of paths) await fetch(`${url}${path}`);
      // Bearer tokens travel in a header, which is not logged either.
      await fetch(`${url}/v1/system`, { headers: { authorization: `Bearer ${uiToken}` } });
      await waitFor(
        () => (stderr.match(/"request completed"/g) ?? []).length >= paths.length + 1,
        'request log lines',
      );

      // The requests are in the log (on stderr), their secrets are not, anywhere.
      expect(stderr).toContain(
        '"url":"/v1/media/some-id/file?exp=99999999999&tid=session&sig=[redacted]"',
      );
      expect(stderr).toContain('"url":"/v1/events?ticket=[redacted]"');
      expect(stderr).toContain('"url":"/v1/system"');
      const log = stdout.replace(/^Open the studio: .*$/m, '') + stderr;
      for (const [name, secret] of Object.entries(secrets)) {
        expect(log.includes(secret), `${name} is in the log`).toBe(false);
      }
      // The engine log, which serve writes with or without --log: its start and stop, no secret.
      expect(stdout).toContain(`Engine log: ${join(work, 'data', 'logs', 'engine.log')}`);
      child.kill('SIGTERM');
      await exited;
      const engineLog = readFileSync(join(work, 'data', 'logs', 'engine.log'), 'utf8');
      expect(engineLog).toContain('"msg":"engine started"');
      expect(engineLog).toContain('"msg":"engine stopped"');
      for (const [name, secret] of Object.entries(secrets)) {
        expect(engineLog.includes(secret), `${name} is in the engine log`).toBe(false);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
