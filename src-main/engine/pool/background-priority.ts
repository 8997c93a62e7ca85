import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority so that a transcription using every core leaves the
 * engine's main process (API, UI, live captions' audio intake) responsive. It costs Whisper
 * nothing when the machine is otherwise idle.
 *
 * Linux keeps a nice value per thread and a new thread inherits its creator's, so every thread
 * that exists now (the libuv pool among them) is lowered; the ones whisper.cpp starts later
 * descend from them. Elsewhere the priority belongs to the whole process.
 */
export function lowerProcessPriority(priority = constants.priority.PRIORITY_BELOW_NORMAL): void {
  try {
    if (process.platform === 'linux') {
      for (const task of readdirSync('/proc/self/task')) setPriority(Number(task), priority);
    } else {
      setPriority(0, priority);
    }
  } catch {
    // Not permitted (some sandboxes): run at normal priority rather than not at all.
  }
}
