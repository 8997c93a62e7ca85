import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Streams a file's bytes into `hash` (a fresh sha256 by default) and returns it. */
export async function hashFile(path: string, hash: Hash = createHash('sha256')): Promise<Hash> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}

/** Lowercase hex sha256 of a file. */
export async function sha256File(path: string): Promise<string> {
  return (await hashFile(path)).digest('hex');
}
