import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { SearchHit } from '../../contract/search';
import { formatTimecode } from '../../engine/exports/timecode';
import { withEngine } from '../global-options';
import { formatTable } from '../table';

const parseLimit = (value: string): number => {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new InvalidArgumentError('a limit is a whole number from 1 to 200.');
  }
  return limit;
};

/** The hit's text with its matches in bold on a terminal, plain otherwise. */
function emphasised(hit: SearchHit, bold: boolean): string {
  if (!bold) return hit.snippet;
  let out = '';
  let at = 0;
  for (const [start, end] of hit.highlights) {
    out += `${hit.snippet.slice(at, start)}\u001b[1m${hit.snippet.slice(start, end)}\u001b[22m`;
    at = end;
  }
  return out + hit.snippet.slice(at);
}

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('find words in every transcript; prints each matching segment with its time')
    .argument('<query>', 'words to find; "quote" a phrase; the last word also matches as a prefix')
    .option('--media <id>', 'only search the transcripts of this media')
    .option('--limit <n>', 'most hits to show (1-200)', parseLimit, 20)
    .option('--json', 'print JSON')
    .action(
      async (
        query: string,
        options: { media?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        const result = await withEngine(command, async (engine) =>
          engine.repos.search.search({ q: query, limit: options.limit, mediaId: options.media }),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        if (result.total === 0) {
          process.stdout.write('No transcript contains that.\n');
          return;
        }
        const bold = process.stdout.isTTY === true;
        const rows = result.hits.map((hit) => [
          formatTimecode(hit.startMs, '.'),
          hit.mediaName,
          emphasised(hit, bold),
        ]);
        process.stdout.write(formatTable(['TIME', 'MEDIA', 'TEXT'], rows));
        if (result.total > result.hits.length) {
          process.stderr.write(
            `Showing ${result.hits.length} of ${result.total}${result.totalIsLowerBound ? '+' : ''} hits` +
              `${result.order === 'newest' ? ', newest first' : ''}; raise --limit to see more.\n`,
          );
        }
      },
    );
}
