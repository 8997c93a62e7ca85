import { Command } from 'commander';
import { vi } from 'vitest';

/**
 * Runs `studio --data-dir <dataDir> <args…>` in-process with the commands `register` adds, and
 * returns what it printed. Restore the spies afterwards (`vi.restoreAllMocks()`).
 */
export async function runCommand(
  register: (program: Command) => void,
  dataDir: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  await program.parseAsync(['--data-dir', dataDir, ...args], { from: 'user' });
  return { stdout, stderr };
}
