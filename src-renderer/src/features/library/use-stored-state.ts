import { useCallback, useState } from 'react';

/** Reads a remembered choice; the fallback when storage is empty, unusable or holds another value. */
export function readStored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = window.localStorage.getItem(key);
    return allowed.find((a) => a === value) ?? fallback;
  } catch {
    return fallback;
  }
}

/** Remembers a choice; a full or disabled storage only means it is not remembered. */
export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered, still applied.
  }
}

/** A choice among `allowed` kept in localStorage, so it survives a reload. */
export function useStoredState<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): [T, (value: T) => void] {
  const [value, setValue] = useState(() => readStored(key, allowed, fallback));
  const set = useCallback(
    (next: T) => {
      writeStored(key, next);
      setValue(next);
    },
    [key],
  );
  return [value, set];
}
