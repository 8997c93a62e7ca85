import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { modelList, modelRecommendation } from '../../contract/models';
import { testModels } from '../../engine/whisper/__fixtures__/whisper-fixtures';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'studio-cli-models-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The real CLI (what `npx studio` runs) as a child process, in an English shell. */
async function studio(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'src-main/cli/main.ts', '--data-dir', join(work, 'data'), ...args],
    { cwd: root, timeout: 90_000, env: { ...process.env, LC_ALL: '', LANG: 'en_US.UTF-8' } },
  );
  return stdout;
}

describe('studio models list', () => {
  it('lists an imported file first, by its header, and stars the model for this machine', async () => {
    const file = join(dirname(testModels.tinyEn), 'for-tests-ggml-small.en.bin');
    await studio(['models', 'import', file, '--id', 'my-small']);

    const json = JSON.parse(await studio(['models', 'list', '--json'])) as unknown;
    const { models } = modelList.parse(json);
    const recommendation = modelRecommendation.parse(
      (json as { recommendation: unknown }).recommendation,
    );
    expect(models[0]).toMatchObject({
      id: 'my-small',
      name: 'Imported · small (English) · my-small.bin',
      languages: ['en'],
      status: 'ready',
    });
    // LANG=en_US: an English-only catalog model.
    expect(models.find((m) => m.id === recommendation.id)?.languages).toEqual(['en']);

    const table = await studio(['models', 'list']);
    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^my-small\s+whisper\s+\S+ \S+\s+en\s+ready/);
    expect(lines.find((line) => line.startsWith(`${recommendation.id} *`))).toBeDefined();
    expect(table).toContain(`* recommended for this machine: ${recommendation.reason}\n`);
  }, 120_000);
});
