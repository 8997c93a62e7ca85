import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Runs a benchmark's server side in its own process (as `serve` runs), so that measuring never
 * shares its event loop. The child is the benchmark file itself, started with `envName` set to
 * the JSON of `spec`; it prints JSON lines on stdout (first its info, at the end its report) and
 * reads commands, one a line, on stdin; "report" is the last.
 */
export function startBenchChild<Info, Report>(options: {
  /** `import.meta.url` of the benchmark file. */
  entry: string;
  envName: string;
  spec: unknown;
  /** For the error when the child dies early, e.g. "the API bench server". */
  name: string;
}) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(options.entry)], {
    env: { ...process.env, [options.envName]: JSON.stringify(options.spec) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextJson = async <T>(): Promise<T> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${options.name} exited early (its error is above)`);
      const line = String(value).trim();
      if (line.startsWith('{')) return JSON.parse(line) as T;
    }
  };
  return {
    info: nextJson<Info>(),
    send: (command: string) => child.stdin.write(`${command}\n`),
    /** Asks for the report, waits for it and for the child to exit. */
    async finish(): Promise<Report> {
      child.stdin.end('report\n');
      const report = await nextJson<Report>();
      await new Promise((resolve) => child.once('exit', resolve));
      return report;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
