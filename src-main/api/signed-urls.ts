import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed URLs for GET requests a browser makes without headers: an `<audio>`/`<video>` element
 * (or wavesurfer) cannot send `Authorization`, so a client with a read token asks for a URL that
 * carries `?exp=<unix seconds>&sig=<HMAC-SHA256 of "<path>\n<exp>">`. The key is random per
 * signer (one per running API), so every URL dies with the process, and a signature names one
 * exact path: it cannot be moved to another item or route.
 */
export interface UrlSigner {
  /** `path` (already URL-encoded, without a query) with `exp` and `sig` appended. */
  sign(path: string): { url: string; expiresAt: string };
  /** True when `sig` is this signer's signature of `path` and `exp` and `exp` has not passed. */
  verify(path: string, exp: string | undefined, sig: string | undefined): boolean;
}

export interface UrlSignerOptions {
  /** How long a signed URL works. @default 6 hours */
  ttlSec?: number;
  /** @default Date.now */
  now?: () => number;
}

const expPattern = /^\d{1,12}$/;

export function createUrlSigner({
  ttlSec = 6 * 3600,
  now = Date.now,
}: UrlSignerOptions = {}): UrlSigner {
  const key = randomBytes(32);
  const mac = (path: string, exp: string) =>
    createHmac('sha256', key).update(`${path}\n${exp}`).digest('base64url');

  return {
    sign(path) {
      const exp = String(Math.floor(now() / 1000) + ttlSec);
      const sig = mac(path, exp);
      return {
        url: `${path}?exp=${exp}&sig=${sig}`,
        expiresAt: new Date(Number(exp) * 1000).toISOString(),
      };
    },
    verify(path, exp, sig) {
      if (exp === undefined || sig === undefined || !expPattern.test(exp)) return false;
      if (Number(exp) * 1000 <= now()) return false;
      // Compared as text: base64url decoding ignores stray characters, the text does not.
      const given = Buffer.from(sig);
      const expected = Buffer.from(mac(path, exp));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
