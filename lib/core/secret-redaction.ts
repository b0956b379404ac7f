/**
 * Error and finding texts quote the value they refuse, and they end up in terminals and CI logs:
 * a private key pasted where a path belongs, or a password in an image reference, must not be
 * printed with them. {@link redactSecrets} replaces the secret part of what such texts quote and
 * keeps the rest, so a message still says which value it means.
 */

/** What is put where a secret was. */
const REDACTED = '<redacted>';

/** Secret shapes and how each is redacted, in order (a PEM block first: it may hold the others' characters). */
const REDACTIONS: readonly [RegExp, string][] = [
  // a PEM block, whole; a quoted one may have lost its end to a shortened quote
  [/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g, `-----BEGIN $1----- ${REDACTED} -----END $1-----`],
  // a base64-encoded PEM file (LS0tLS1CRUdJTi is "-----BEGIN")
  [/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g, `LS0tLS1CRUdJTi${REDACTED}`],
  // a JSON Web Token
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, `eyJ${REDACTED}`],
  // an Authorization header's credentials
  [/\b(Bearer|Basic|BEARER|BASIC|bearer|basic) +(?=[A-Za-z0-9._~+/=-]*[0-9+/=])[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  // the password of user:password@host, with or without a scheme (not a tag before an @sha256: digest,
  // nor a placeholder: the word password, <password>, a $(VAR) reference)
  [/(^|[\s"'(=]|:\/\/)([^\s:@/"'(]+):(?!password@|<[^>@]*>@|\$\()([^\s@/"']+)@(?!sha(?:256|384|512):)/g, `$1$2:${REDACTED}@`],
  // tokens whose prefix tells what they are: GitHub, GitLab, Stripe, Slack, AWS access key ids
  [/\b(gh[pousr]_|github_pat_|glpat-|sk_live_|sk_test_|rk_live_|xox[abprs]-)[A-Za-z0-9_-]{8,}/g, `$1${REDACTED}`],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, `$1${REDACTED}`],
];

/** `text` with the secret part of every secret-looking value it quotes replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  return out;
}
