// `npm run bench -- <name> [--json] [--model <path>] [--other[=value]…]`: runs a benchmark from
// bench/benchmarks/, prints a table, writes bench/results/<name>-<time>.json and, with --json,
// prints the JSON as the last line. Options other than --json and --model reach the benchmark in
// `options.extra` (a bare flag is true; give values as --name=value or --name value).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchmarkOptions } from './benchmark';

const here = import.meta.dirname;
const available = readdirSync(join(here, 'benchmarks'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const usage =
  'Usage: npm run bench -- <name> [--json] [--model <path>] [--name[=value]…]\n' +
  `Benchmarks: ${available.join(', ')}\n`;

/** Splits the command line into the benchmark name, the known options and the rest. */
function readArgs(): { name: string | undefined; options: BenchmarkOptions } {
  const { tokens } = parseArgs({
    options: { json: { type: 'boolean' }, model: { type: 'string' } },
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals: string[] = [];
  const options: BenchmarkOptions = { json: false, extra: {} };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'positional') {
      positionals.push(token.value);
    } else if (token.kind === 'option') {
      if (token.name === 'json') {
        options.json = true;
      } else if (token.name === 'model') {
        if (token.value === undefined) {
          process.stderr.write(`--model needs a path.\n${usage}`);
          process.exit(1);
        }
        options.model = token.value;
      } else if (token.value !== undefined) {
        options.extra[token.name] = token.value;
      } else {
        // --name value: take the next token as the value when it is not an option itself.
        const next = tokens[i + 1];
        if (next?.kind === 'positional' && positionals.length > 0) {
          options.extra[token.name] = next.value;
          i++;
        } else {
          options.extra[token.name] = true;
        }
      }
    }
  }
  return { name: positionals[0], options };
}

const { name, options } = readArgs();
if (!name || !available.includes(name)) {
  process.stderr.write(`${name ? `Unknown benchmark "${name}". ` : ''}${usage}`);
  process.exit(1);
}

const { default: benchmark } = (await import(`./benchmarks/${name}.ts`)) as { default: Benchmark };
process.stderr.write(`Running ${benchmark.name}: ${benchmark.description}\n`);
const figures = await benchmark.run(options);
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
if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
