/** Test helper: small stand-in programs (a fake ffmpeg, a process that ignores SIGTERM) run by this Node. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Writes an executable CommonJS script run by this very Node binary (`#!` line), so tests can
 * hand it to code that takes an executable path. POSIX only (Windows ignores `#!`).
 */
export async function writeNodeProgram(dir: string, name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!${process.execPath}\n'use strict';\n${source}\n`, { mode: 0o755 });
  return file;
}

/**
 * Source lines for a program that appends `started <pid>` to `log` once it listens for signals,
 * and `SIGTERM` when it gets one; it then exits, or with `ignoreTerm` keeps running until SIGKILL.
 */
export function signalLogger(log: string, ignoreTerm: boolean): string {
  return `
const fs = require('node:fs');
process.on('SIGTERM', () => {
  fs.appendFileSync(${JSON.stringify(log)}, 'SIGTERM\\n');
  ${ignoreTerm ? '' : 'process.exit(0);'}
});
// Only now, with the handler in place, may a test send signals.
fs.appendFileSync(${JSON.stringify(log)}, 'started ' + process.pid + '\\n');
process.stdout.on('error', () => {});
setInterval(() => {}, 1000);
`;
}

/** Waits until `log` names the program's pid (it has started), and returns it. */
export async function startedPid(log: string, timeoutMs = 10_000): Promise<number> {
  for (let waited = 0; waited < timeoutMs; waited += 20) {
    const text = await readFile(log, 'utf8').catch(() => '');
    const match = /^started (\d+)$/m.exec(text);
    if (match) return Number(match[1]);
    await sleep(20);
  }
  throw new Error(`${log} never said the program started.`);
}

/** The lines the program logged. */
export async function loggedLines(log: string): Promise<string[]> {
  return (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}
