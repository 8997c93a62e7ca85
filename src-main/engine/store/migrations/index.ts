import type { Migration } from '../migrate';
import { initial } from './0001-initial';
import { pipeline } from './0002-pipeline';
import { apiTokens } from './0003-api-tokens';
import { search } from './0004-search';
import { mediaSummaries } from './0005-media-summaries';
import { voices } from './0006-voices';
import { jobIndexes } from './0007-job-indexes';
import { libraryAtScale } from './0008-library-at-scale';
import { partialSegments } from './0009-partial-segments';

/** Every migration in order. Add a new numbered file and append it here; never edit a shipped one. */
export const migrations: readonly Migration[] = [
  initial,
  pipeline,
  apiTokens,
  search,
  mediaSummaries,
  voices,
  jobIndexes,
  libraryAtScale,
  partialSegments,
];
