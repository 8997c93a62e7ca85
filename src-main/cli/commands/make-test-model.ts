import type { Command } from 'commander';
import { EngineError } from '../../engine/errors';
import {
  isTestModelSize,
  makeTestModel,
  testModelSizes,
} from '../../engine/whisper/test-model/make-test-model';

interface MakeTestModelCliOptions {
  size: string;
  out: string;
  seed?: string;
  multilingual?: boolean;
}

/**
 * `make-test-model`: writes a whisper.cpp model file of the true size and shapes with
 * deterministic random weights (for tests and benchmarks; its text is meaningless). Needs
 * no engine or data folder.
 */
export function registerMakeTestModelCommand(program: Command): void {
  program
    .command('make-test-model')
    .description(
      'write a synthetic whisper.cpp model (real header and vocabulary, random weights) for tests and benchmarks',
    )
    .requiredOption('--size <size>', `model size: ${testModelSizes.join(', ')}`)
    .requiredOption('--out <file>', 'output model file (parent folders are created)')
    .option('--seed <n>', 'seed of the random weights (same seed, same bytes)', '1')
    .option('--multilingual', 'multilingual header and vocabulary instead of English-only')
    .action(async (options: MakeTestModelCliOptions) => {
      if (!isTestModelSize(options.size)) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `Unknown size "${options.size}"; choose one of ${testModelSizes.join(', ')}.`,
        );
      }
      const seedText = options.seed ?? '1';
      const seed = Number(seedText);
      if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `--seed must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}; got "${seedText}".`,
        );
      }
      const english = !options.multilingual;
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const started = performance.now();
        const model = await makeTestModel({
          size: options.size,
          out: options.out,
          seed,
          english,
          signal: controller.signal,
        });
        const summary = {
          path: model.path,
          bytes: model.bytes,
          sha256: model.sha256,
          size: `${options.size}${english ? '.en' : ''}`,
          seed,
          seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        };
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
