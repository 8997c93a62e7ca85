/**
 * tsx modules as file URLs resolved from this package. A bare `tsx` (`--import tsx`, or
 * `import('tsx/esm/api')` in an eval'd worker) is resolved from the working directory, which
 * fails when the studio runs from outside its folder (a linked or installed `studio` command).
 * Only for TypeScript entries: the built app never calls these.
 */
export const tsxUrl = (specifier: 'tsx' | 'tsx/esm/api'): string => import.meta.resolve(specifier);
