import type { Command } from 'commander';
import { createEngine, type Engine, type EngineOptions } from '../engine/create-engine';
import { defaultDataDir } from '../engine/paths';

export interface GlobalOptions {
  dataDir?: string;
  catalog?: string;
}

/**
 * How a command holds the data folder: commands that run jobs or write files there (serve,
 * transcribe, model downloads) hold it and are refused beside a running engine (ENGINE_BUSY);
 * the others (`{ shared: true }`) read the library or change single rows beside it.
 */
export type FolderUse = Pick<EngineOptions, 'owner' | 'shared'>;

/** Opens the engine on the data folder the user chose (or the default one). */
export function openEngine(command: Command, use: FolderUse): Engine {
  const { dataDir, catalog } = command.optsWithGlobals<GlobalOptions>();
  return createEngine({ dataDir: dataDir ?? defaultDataDir(), catalogPath: catalog, ...use });
}

/**
 * Runs `body` with an engine that shares the data folder (it may run beside serve or the desktop
 * app) and always shuts it down, also on Ctrl-C.
 */
export function withEngine<T>(
  command: Command,
  body: (engine: Engine, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return runWithEngine(command, { shared: true }, body);
}

/** `withEngine` for a command that writes files in the data folder: it must hold the folder. */
export function withOwnEngine<T>(
  command: Command,
  owner: string,
  body: (engine: Engine, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return runWithEngine(command, { owner }, body);
}

async function runWithEngine<T>(
  command: Command,
  use: FolderUse,
  body: (engine: Engine, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const engine = openEngine(command, use);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(engine, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await engine.shutdown();
  }
}
