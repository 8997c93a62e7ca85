import type { Engine } from '../create-engine';

/** Resolves once the job is in `stage` (checked now and at every job event). */
export function jobInStage(engine: Pick<Engine, 'jobs'>, id: string, stage: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => {
      if (engine.jobs.get(id)?.stage === stage) {
        off();
        resolve();
      }
    };
    const off = engine.jobs.onEvent(check);
    check();
  });
}
