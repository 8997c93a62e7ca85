import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed URLs for GET requests a browser makes without headers: an `<audio>`/`<video>` element
 * (or wavesurfer) cannot send `Authorization`, so a client with a read token asks for a URL that
 * carries `?exp=<unix seconds>&tid=<token id>&sig=<HMAC-SHA256 of "<path>\n<exp>\n<tid>">`. The
 * key is random per signer (one per running API), so every URL dies with the process; a signature
 * names one exact path, so it cannot be moved to another item or route; and it names the token
 * that asked for it, so the URL dies when that token is revoked (the caller checks, see
 * security.ts).
 */
export interface UrlSigner {
  /** `path` (already URL-encoded, without a query) with `exp`, `tid` and `sig` appended. */
  sign(path: string, tokenId: string): { url: string; expiresAt: string };
  /**
   * The id of the token the URL was signed for, when `sig` is this signer's signature of `path`,
   * `exp` and `tid` and `exp` has not passed; else null.
   */
  verify(path: string, query: SignedQuery): string | null;
}

/** The query parameters of a signed URL, as received. */
export interface SignedQuery {
  exp: string | undefined;
  tid: string | undefined;
  sig: string | undefined;
}

export interface UrlSignerOptions {
  /** How long a signed URL works. @default 6 hours */
  ttlSec?: number;
  /** @default Date.now */
  now?: () => number;
}

const expPattern = /^\d{1,12}$/;
/** Token ids: stored tokens have UUIDs, the session token `session`. */
const tokenIdPattern = /^[\w-]{1,64}$/;

export function createUrlSigner({
  ttlSec = 6 * 3600,
  now = Date.now,
}: UrlSignerOptions = {}): UrlSigner {
  const key = randomBytes(32);
  const mac = (path: string, exp: string, tid: string) =>
    createHmac('sha256', key).update(`${path}\n${exp}\n${tid}`).digest('base64url');

  return {
    sign(path, tokenId) {
      if (!tokenIdPattern.test(tokenId)) throw new Error(`Not a token id: ${tokenId}`);
      const exp = String(Math.floor(now() / 1000) + ttlSec);
      const sig = mac(path, exp, tokenId);
      return {
        url: `${path}?exp=${exp}&tid=${tokenId}&sig=${sig}`,
        expiresAt: new Date(Number(exp) * 1000).toISOString(),
      };
    },
    verify(path, { exp, tid, sig }) {
      if (exp === undefined || tid === undefined || sig === undefined) return null;
      if (!expPattern.test(exp) || !tokenIdPattern.test(tid)) return null;
      if (Number(exp) * 1000 <= now()) return null;
      // Compared as text: base64url decoding ignores stray characters, the text does not.
      const given = Buffer.from(sig);
      const expected = Buffer.from(mac(path, exp, tid));
      return given.length === expected.length && timingSafeEqual(given, expected) ? tid : null;
    },
  };
}
