import type { ModelManager } from '../../models/model-manager';

/** The catalog's segmentation model, preferred when several are installed. */
export const PREFERRED_SEGMENTATION_ID = 'pyannote-segmentation-3.0';

export interface InstalledModel {
  id: string;
  path: string;
  /** null for a file whose hash is not recorded. */
  sha256: string | null;
}

/** The two models of a neural diarization. */
export interface NeuralModels {
  segmentation: InstalledModel;
  embedding: InstalledModel;
}

/**
 * The installed models the neural diarization uses: pyannote-segmentation-3.0 (else the first
 * ready segmentation model) and the first ready embedding model, in the manager's order (catalog
 * order, then imported models by id); null unless both kinds are ready.
 */
export function readyNeuralModels(
  models: Pick<ModelManager, 'list'>,
  sha256Of: (id: string) => string | null,
): NeuralModels | null {
  const ready = models.list().filter((m) => m.status === 'ready' && m.path !== null);
  const segmentations = ready.filter((m) => m.kind === 'segmentation');
  const segmentation =
    segmentations.find((m) => m.id === PREFERRED_SEGMENTATION_ID) ?? segmentations[0];
  const embedding = ready.find((m) => m.kind === 'embedding');
  if (!segmentation || !embedding) return null;
  const installed = (m: { id: string; path: string | null }): InstalledModel => ({
    id: m.id,
    path: m.path!,
    sha256: sha256Of(m.id),
  });
  return { segmentation: installed(segmentation), embedding: installed(embedding) };
}
