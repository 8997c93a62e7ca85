/**
 * Every TanStack Query key in one factory, so invalidation (e.g. from `/v1/events`) can name
 * exactly what changed: `queryClient.invalidateQueries({ queryKey: queryKeys.jobs.all })`.
 */
export const queryKeys = {
  health: ['health'] as const,
  system: ['system'] as const,
  settings: ['settings'] as const,
  tokens: ['tokens'] as const,
  models: { all: ['models'] as const },
  media: {
    all: ['media'] as const,
    list: (filters: Record<string, unknown> = {}) => ['media', 'list', filters] as const,
    detail: (id: string) => ['media', 'detail', id] as const,
    peaks: (id: string) => ['media', 'peaks', id] as const,
  },
  jobs: {
    all: ['jobs'] as const,
    list: () => ['jobs', 'list'] as const,
    detail: (id: string) => ['jobs', 'detail', id] as const,
  },
  transcripts: {
    all: ['transcripts'] as const,
    detail: (id: string) => ['transcripts', 'detail', id] as const,
    /** Every transcript's speaker rows (a voice forgotten changes their suggestions). */
    allSpeakers: ['transcripts', 'speakers'] as const,
    speakers: (id: string) => ['transcripts', 'speakers', id] as const,
  },
  voices: ['voices'] as const,
  search: (query: string, mediaId?: string) => ['search', query, mediaId ?? null] as const,
};
