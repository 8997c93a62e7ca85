import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { startServer } from '../../api/server';
import { cliCommand } from '../../common/remedies';
import { openEngine } from '../global-options';

const uiDir = join(import.meta.dirname, '..', '..', '..', 'out', 'renderer');

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  }
  return port;
};

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the engine, the API and the UI headless (open the printed URL in a browser)')
    .option('-p, --port <port>', 'TCP port (0 = any free port)', parsePort, 8770)
    .option(
      '--host <host>',
      'interface to bind; anything but loopback exposes the API to the network',
      '127.0.0.1',
    )
    .option('--log', 'log every request to stderr', false)
    .action(async (options: { port: number; host: string; log: boolean }, command: Command) => {
      const engine = openEngine(command, { owner: 'serve' });
      let server;
      try {
        server = await startServer({
          engine,
          host: options.host,
          port: options.port,
          uiDir,
          logger: options.log,
        });
      } catch (error) {
        await engine.shutdown();
        throw error;
      }
      // A second engine refused on this folder is told where this one answers.
      engine.folderLock?.update({ port: server.port, url: server.url });
      // Jobs queued or interrupted in an earlier run continue now.
      await engine.jobs.start();
      process.stdout.write(`Transcription Studio ${engine.version} is running at ${server.url}\n`);
      process.stdout.write(`Data folder: ${engine.dataDir}\n`);
      if (engine.logFile) process.stdout.write(`Engine log: ${engine.logFile}\n`);
      void engine.leftoversSwept.then((removed) => {
        if (removed.length > 0) {
          process.stdout.write(
            `Removed ${removed.length} file${removed.length > 1 ? 's' : ''} an earlier crash left in the data folder.\n`,
          );
        }
      });
      // The browser UI needs a token too. This one lives in memory for this run only; the
      // fragment (#…) never reaches the server or its logs, and the UI strips it from the URL.
      // Opening the link trades it for a session cookie (see engine/auth/browser-sessions.ts),
      // which outlives this run on this data folder.
      const uiToken = engine.tokens.sessionToken(['admin']);
      process.stdout.write(`Open the studio: ${server.url}/#token=${uiToken}\n`);
      process.stdout.write(
        'Opening that link signs a browser in (every tab, for 30 days, also after serve restarts ' +
          'on this data folder). The link grants full access until serve stops: do not share it. ' +
          `Scripts should use their own token (\`${cliCommand('token create --scopes read,transcribe')}\`).\n`,
      );

      const running = server;
      let stopping = false;
      const stop = async (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`Received ${signal}: finishing up…\n`);
        // Stop accepting connections first, then cancel work and close the library.
        await Promise.all([running.close(), engine.shutdown()]);
        process.stdout.write('Stopped.\n');
      };
      process.once('SIGINT', (signal) => void stop(signal));
      process.once('SIGTERM', (signal) => void stop(signal));
    });
}
