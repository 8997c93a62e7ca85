import type { Command } from 'commander';
import { createEngine, type Engine } from '../engine/create-engine';
import { defaultDataDir } from '../engine/paths';

export interface GlobalOptions {
  dataDir?: string;
  catalog?: string;
}

/** Opens the engine on the data folder the user chose (or the default one). */
export function openEngine(command: Command): Engine {
  const { dataDir, catalog } = command.optsWithGlobals<GlobalOptions>();
  return createEngine({ dataDir: dataDir ?? defaultDataDir(), catalogPath: catalog });
}

/** Runs `body` with an engine and always shuts it down, also on Ctrl-C. */
export async function withEngine<T>(
  command: Command,
  body: (engine: Engine, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const engine = openEngine(command);
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
