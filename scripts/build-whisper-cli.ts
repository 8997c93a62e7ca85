/**
 * Builds whisper.cpp's own `whisper-cli` (the test and benchmark oracle, never shipped) from
 * node_modules/nodejs-whisper/cpp/whisper.cpp into .cache/whisper-cli-build/ and prints the
 * binary's path on stdout. A second run with nothing changed returns at once.
 *
 *   npx tsx scripts/build-whisper-cli.ts [--quiet]
 */
import { buildWhisperCli } from '../src-main/engine/whisper/oracle/build-whisper-cli';

const quiet = process.argv.includes('--quiet');

try {
  const result = await buildWhisperCli({
    log: quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  const seconds = (result.wallMs / 1000).toFixed(1);
  process.stderr.write(
    result.built
      ? `whisper-cli built in ${seconds} s\n`
      : `whisper-cli is up to date (${seconds} s)\n`,
  );
  process.stdout.write(`${result.binary}\n`);
} catch (error) {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
