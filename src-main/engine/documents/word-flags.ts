import { wordFlag, type WordFlag } from '../../contract/document';

/** `flags` with `flag` added once, in the schema's order (so documents compare and diff well). */
export function withFlag(flags: readonly WordFlag[], flag: WordFlag): WordFlag[] {
  const set = new Set([...flags, flag]);
  return wordFlag.options.filter((f) => set.has(f));
}

/** `flags` without any of `remove`. */
export function withoutFlags(flags: readonly WordFlag[], remove: readonly WordFlag[]): WordFlag[] {
  return flags.filter((flag) => !remove.includes(flag));
}
