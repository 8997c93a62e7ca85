// `npm run bench -- <name> [--json]`: runs a benchmark from bench/benchmarks/, prints a table,
// writes bench/results/<name>-<time>.json and, with --json, prints the JSON as the last line.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Benchmark } from './benchmark';

const here = import.meta.dirname;
const available = readdirSync(join(here, 'benchmarks'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const { values, positionals } = parseArgs({
  options: { json: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const name = positionals[0];
if (!name || !available.includes(name)) {
  process.stderr.write(
    `${name ? `Unknown benchmark "${name}". ` : ''}Usage: npm run bench -- <name> [--json]\n` +
      `Benchmarks: ${available.join(', ')}\n`,
  );
  process.exit(1);
}

const { default: benchmark } = (await import(`./benchmarks/${name}.ts`)) as { default: Benchmark };
process.stderr.write(`Running ${benchmark.name}: ${benchmark.description}\n`);
const figures = await benchmark.run({ json: values.json });
const result = {
  benchmark: benchmark.name,
  at: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  ...figures,
};

const resultsDir = join(here, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${benchmark.name}-${result.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));
process.stdout.write(`Saved ${file}\n`);
if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
