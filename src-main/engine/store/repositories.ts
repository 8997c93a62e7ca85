import type { Db } from './database';
import { createExportsRepo, type ExportsRepo } from './exports-repo';
import { createJobsRepo, type JobsRepo } from './jobs-repo';
import { createMediaRepo, type MediaRepo } from './media-repo';
import { createModelsRepo, type ModelsRepo } from './models-repo';
import { createSearchRepo, type SearchRepo } from './search-repo';
import { createSettingsRepo, type SettingsRepo } from './settings-repo';
import { createTokensRepo, type TokensRepo } from './tokens-repo';
import { createTranscriptsRepo, type TranscriptsRepo } from './transcripts-repo';
import { createVoicesRepo, type VoicesRepo } from './voices-repo';

export interface Repositories {
  media: MediaRepo;
  transcripts: TranscriptsRepo;
  jobs: JobsRepo;
  models: ModelsRepo;
  settings: SettingsRepo;
  tokens: TokensRepo;
  /** Full-text search over all transcripts. */
  search: SearchRepo;
  /** The voice library and the voice prints of transcript speakers. */
  voices: VoicesRepo;
  /** The files export jobs wrote (read from their results). */
  exports: ExportsRepo;
}

export function createRepositories(db: Db): Repositories {
  return {
    media: createMediaRepo(db),
    transcripts: createTranscriptsRepo(db),
    jobs: createJobsRepo(db),
    models: createModelsRepo(db),
    settings: createSettingsRepo(db),
    tokens: createTokensRepo(db),
    search: createSearchRepo(db),
    voices: createVoicesRepo(db),
    exports: createExportsRepo(db),
  };
}
