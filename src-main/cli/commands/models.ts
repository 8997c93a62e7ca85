import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { ModelRecommendation, ModelStatus } from '../../contract/models';
import { formatBytes } from '../../common/format-bytes';
import { recommendationLanguage } from '../../common/recommendation-language';
import { machineFacts } from '../../engine/models/recommend';
import { withEngine, withOwnEngine } from '../global-options';
import { formatTable } from '../table';

function statusText(model: ModelStatus): string {
  if (model.status === 'missing' && model.partialBytes > 0) {
    return `missing (${formatBytes(model.partialBytes)} downloaded, resumable)`;
  }
  if (model.status === 'corrupt') return `corrupt: ${model.error ?? 'failed verification'}`;
  return model.status;
}

function printTable(models: ModelStatus[], advice: ModelRecommendation | undefined): void {
  const rows = models.map((m) => [
    m.id + (m.id === advice?.id ? ' *' : ''),
    m.kind,
    formatBytes(m.sizeBytes),
    m.languages.includes('multi') ? 'multilingual' : m.languages.join(',') || '-',
    statusText(m),
  ]);
  process.stdout.write(formatTable(['ID', 'KIND', 'SIZE', 'LANGUAGES', 'STATUS'], rows));
  if (advice) process.stdout.write(`* recommended for this machine: ${advice.reason}\n`);
}

export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('list, download, import and delete models');

  models
    .command('list')
    .description('show the catalog and imported models with their status')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { list, advice } = await withEngine(command, async (engine) => {
        // The language a speaker of this shell's locale transcribes, unless Settings name one.
        const env = process.env;
        const language = recommendationLanguage(
          engine.settings.get().defaultLanguage,
          env.LC_ALL || env.LC_MESSAGES || env.LANG,
        );
        await engine.models.headersRead;
        return {
          list: engine.models.list(),
          advice: engine.models.recommend(machineFacts(await engine.system()), language),
        };
      });
      if (options.json) {
        const answer = { models: list, recommendation: advice ?? null };
        process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      } else printTable(list, advice);
    });

  models
    .command('download')
    .description(
      'download a catalog model (resumes an interrupted download; Ctrl-C keeps the partial file)',
    )
    .argument('<id>', 'model id from `models list`')
    .action(async (id: string, _options: unknown, command: Command) => {
      // Model files change: not beside a running engine, which may download the same file.
      const done = await withOwnEngine(command, 'models download', async (engine, signal) => {
        const bar = process.stderr.isTTY
          ? new SingleBar({
              format: `${id} [{bar}] {percentage}% | {value}/{total} MB | {speed} MB/s`,
            })
          : undefined;
        let lastLine = 0;
        const unsubscribe = engine.models.onEvent((event) => {
          if (event.id !== id || !event.progress) return;
          const { receivedBytes, totalBytes, bytesPerSec } = event.progress;
          const total = totalBytes ?? receivedBytes;
          if (bar) {
            if (!bar.isActive) bar.start(Math.round(total / 1e6), 0, { speed: '0' });
            bar.update(Math.round(receivedBytes / 1e6), { speed: (bytesPerSec / 1e6).toFixed(1) });
          } else if (Date.now() - lastLine > 2000) {
            lastLine = Date.now();
            process.stderr.write(`${id}: ${formatBytes(receivedBytes)} of ${formatBytes(total)}\n`);
          }
        });
        try {
          return await engine.models.download(id, { signal });
        } finally {
          unsubscribe();
          bar?.stop();
        }
      });
      process.stdout.write(`${done.id} is ready: ${done.path}\n`);
    });

  models
    .command('import')
    .description('copy a local model file into the library')
    .argument('<file>', 'model file (whisper.cpp ggml .bin, or ONNX)')
    .option('--id <id>', 'id to give an imported model that is not in the catalog')
    .action(async (file: string, options: { id?: string }, command: Command) => {
      const imported = await withOwnEngine(command, 'models import', (engine) =>
        engine.models.importFile(file, options.id ? { id: options.id } : {}),
      );
      process.stdout.write(`Imported ${imported.id} (${imported.status}): ${imported.path}\n`);
    });

  models
    .command('verify')
    .description('re-check a downloaded model against its checksum')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      const model = await withEngine(command, (engine) => engine.models.verify(id));
      process.stdout.write(`${model.id}: ${statusText(model)}\n`);
      if (model.status !== 'ready') process.exitCode = 1;
    });

  models
    .command('delete')
    .description('delete a model file (and any partial download)')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withOwnEngine(command, 'models delete', (engine) => engine.models.delete(id));
      process.stdout.write(`Deleted ${id}.\n`);
    });
}
