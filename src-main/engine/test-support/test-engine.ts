import { createEngine, type Engine } from '../create-engine';
import { testModels } from '../whisper/__fixtures__/whisper-fixtures';
import { ensureTestModel } from '../whisper/test-model/make-test-model';

/**
 * A real engine in `dataDir` with the synthetic Whisper model (`tiny-random`) and the Silero VAD
 * installed and its job runner started: what most API tests run against.
 */
export async function createTestEngine(dataDir: string): Promise<Engine> {
  const engine = createEngine({ dataDir });
  await engine.models.importFile((await ensureTestModel('tiny', 1)).path, { id: 'tiny-random' });
  await engine.models.importFile(testModels.sileroVad);
  await engine.jobs.start();
  return engine;
}
