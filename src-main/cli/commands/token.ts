import type { Command } from 'commander';
import { cliCommand } from '../../common/remedies';
import { parseScopes, tokenScopes, type TokenInfo } from '../../engine/auth/tokens';
import { withEngine } from '../global-options';
import { formatTable } from '../table';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function printTable(tokens: TokenInfo[]): void {
  if (tokens.length === 0) {
    process.stdout.write(
      `No API tokens. Create one with \`${cliCommand('token create --scopes read')}\`.\n`,
    );
    return;
  }
  const rows = tokens.map((t) => [
    t.id,
    t.name ?? '-',
    t.scopes.join(','),
    when(t.createdAt),
    when(t.lastUsedAt),
    t.revokedAt ? `revoked ${when(t.revokedAt)}` : 'active',
  ]);
  process.stdout.write(
    formatTable(['ID', 'NAME', 'SCOPES', 'CREATED', 'LAST USED', 'STATUS'], rows),
  );
}

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('create, list and revoke API tokens for the HTTP API');

  token
    .command('create')
    .description('create an API token (shown once)')
    .requiredOption(
      '--scopes <scopes>',
      `comma-separated scopes: ${tokenScopes.join(', ')} (admin implies all)`,
    )
    .option('--name <name>', 'a label to recognise the token by in `token list`')
    .action(async (options: { scopes: string; name?: string }, command: Command) => {
      // Validate before opening the library, so a typo changes nothing.
      const scopes = parseScopes(options.scopes.split(','));
      const created = await withEngine(command, async (engine) =>
        engine.tokens.createToken({ name: options.name, scopes }),
      );
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `Created token ${created.id} with scopes ${scopes.join(', ')}.\n` +
          'Copy it now: it is stored only as a hash and cannot be shown again.\n' +
          'Send it as "Authorization: Bearer <token>".\n',
      );
    });

  token
    .command('list')
    .description('list API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await withEngine(command, async (engine) => engine.tokens.list());
      if (options.json) process.stdout.write(`${JSON.stringify({ tokens: list }, null, 2)}\n`);
      else printTable(list);
    });

  token
    .command('revoke')
    .description('revoke an API token; requests using it are refused from now on')
    .argument('<id>', 'token id from `token list`')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withEngine(command, async (engine) => engine.tokens.revoke(id));
      process.stdout.write(`Revoked ${id}.\n`);
    });
}
