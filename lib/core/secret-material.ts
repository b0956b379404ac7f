/**
 * Recognizers for secret material that must never be written into synthesized manifests: PEM
 * private keys and the private or symmetric members of JSON Web Keys. Pure functions shared by the
 * constructs (early errors with the prop name) and the document rules (any document, raw or not).
 */

/** A PEM private key block header: `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/**
 * JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1): the
 * EC/OKP/RSA private exponent `d`, the RSA CRT parameters `p`, `q`, `dp`, `dq`, `qi`, `oth`, and
 * the symmetric key value `k`. Compared case-insensitively: no public member differs from these
 * only by case.
 */
export const JWK_PRIVATE_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The base64 of `-----BEGIN` (how an encoded PEM file starts). */
export const BASE64_PEM_MARKER = 'LS0tLS1CRUdJTi';

/** The prefixes of the provider tokens the synth refuses (GitHub, GitLab, Stripe's live keys, Slack): {@link PROVIDER_TOKEN}. */
const TOKEN_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'sk_live_', 'rk_live_', 'xoxb-', 'xoxp-', 'xoxa-'];

/** A provider token: one of the {@link TOKEN_PREFIXES} and at least 16 token characters. */
export const PROVIDER_TOKEN = new RegExp(`(?:^|[^A-Za-z0-9_])(?:${TOKEN_PREFIXES.join('|')})[A-Za-z0-9_-]{16,}`);

/**
 * Text without which a string holds none of the secret material the synth refuses: a PEM or base64
 * PEM header, the start of a JSON Web Token (`eyJ`, the base64 of `{"`), `Bearer ` or `Basic `
 * (either case), a provider token's prefix, a URL's `://` (for a password inside it). A search for
 * them is cheap; the strings are looked at closely only when one is there.
 */
export const SECRET_MARKERS: readonly string[] = ['-----BEGIN', BASE64_PEM_MARKER, 'eyJ', 'earer ', 'asic ', 'EARER ', 'ASIC ', '://',
  ...TOKEN_PREFIXES];

/** Whether a string contains a PEM private key block. */
export function containsPemPrivateKey(value: string): boolean {
  return value.includes('-----BEGIN') && PEM_PRIVATE_KEY.test(value);
}

/** What is wrong with an inline JWKS, and how to fix it. */
export interface JwksProblem {
  /** The problem, without a trailing period; never quotes the key material. */
  readonly problem: string;
  /** The fix, without a trailing period. */
  readonly fix: string;
}

/**
 * Checks an inline JSON Web Key Set (Istio's `jwtRules[].jwks`): it must be JSON — a key set
 * `{"keys": [...]}` or a single key, as Istio's parser accepts — and no key may carry a private or
 * symmetric member. The JSON is parsed, so escaped member names (`"\u0064"` for `d`) are seen as
 * what they are.
 *
 * @returns the problem, or undefined when the set holds public keys only
 */
export function jwksProblem(jwks: string): JwksProblem | undefined {
  const publicOnly = 'inline only public keys (no "d", "p", "q", "dp", "dq", "qi", "oth" or "k" members, no "oct" keys), or use jwksUri';
  if (containsPemPrivateKey(jwks)) {
    return { problem: 'the key set contains private key material (a PEM private key)', fix: publicOnly };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch {
    const fix = 'give the JSON Web Key Set as JSON, e.g. {"keys":[{"kty":"RSA","n":"…","e":"AQAB"}]}, or use jwksUri';
    return { problem: 'the key set is not valid JSON', fix };
  }
  const keys = isObject(parsed) && Array.isArray(parsed.keys) ? parsed.keys : [parsed];
  for (const [i, key] of keys.entries()) {
    if (!isObject(key)) {
      return { problem: `key ${i} of the key set is not a JSON object`, fix: 'list each key as an object with at least "kty"' };
    }
    const members = Object.keys(key).filter(m => JWK_PRIVATE_MEMBERS.includes(m.toLowerCase()));
    if (members.length > 0) {
      const names = members.map(m => `"${m}"`).join(', ');
      return { problem: `key ${i} of the key set contains private key material (or a symmetric key): member ${names}`, fix: publicOnly };
    }
    if (typeof key.kty === 'string' && key.kty.toLowerCase() === 'oct') {
      return { problem: `key ${i} of the key set is a symmetric ("oct") key, which is a shared secret`, fix: publicOnly };
    }
    if (typeof key.kty !== 'string' || key.kty === '') {
      return {
        problem: `key ${i} of the key set has no "kty" (Istio cannot parse it as a JSON Web Key)`,
        fix: 'give a key set {"keys":[{"kty":"RSA","n":"…","e":"AQAB"}]} or a single key with "kty", or use jwksUri',
      };
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
