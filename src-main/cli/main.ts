import { Command, Option } from 'commander';
import { errorText } from '../common/remedies';
import { isEngineError } from '../engine/errors';
import { studioVersion } from '../engine/version';
import { registerMakeTestModelCommand } from './commands/make-test-model';
import { registerModelCommands } from './commands/models';
import { registerProbeCommand } from './commands/probe';
import { registerSearchCommand } from './commands/search';
import { registerServeCommand } from './commands/serve';
import { registerTokenCommands } from './commands/token';
import { registerTranscribeCommand } from './commands/transcribe';
import { registerVadCommand } from './commands/vad';

const program = new Command()
  .name('studio')
  .description('Transcription Studio engine: headless server and command-line tools.')
  .version(studioVersion)
  .option(
    '--data-dir <dir>',
    'data folder (library, models, caches); default: STUDIO_DATA_DIR or the per-user folder',
  )
  .addOption(new Option('--catalog <file>', 'model catalog file').hideHelp())
  .showHelpAfterError();

registerServeCommand(program);
registerProbeCommand(program);
registerModelCommands(program);
registerMakeTestModelCommand(program);
registerTranscribeCommand(program);
registerVadCommand(program);
registerTokenCommands(program);
registerSearchCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // One line for the user: what happened, what to do in CLI words (the remedy its code and
  // details name, see src-main/common/remedies.ts), and the code for scripts to branch on.
  const { dataDir } = program.opts<{ dataDir?: string }>();
  const message = isEngineError(error)
    ? `${errorText(error, 'cli', { ...(dataDir !== undefined && { dataDir }) })} [${error.code}]`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}
