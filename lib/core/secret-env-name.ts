/**
 * Which environment variable names say their value is a secret, so a literal value for them
 * would put the secret into the synthesized manifests.
 */

/**
 * Annotation (on a workload document: Deployment, StatefulSet, Pod, …) listing, comma-separated,
 * the env var names whose literal values are not secrets although their names look like it. The
 * document rule skips them; `EnvValue.fromValue(value, { notSecret: true })` writes it for you.
 * Its prefix is not a domain under istio.io, where Istio (and istioctl's IST0108) would take it for
 * an annotation of its own that it does not know.
 */
export const NOT_SECRET_ENV_ANNOTATION = 'cdk8s-istio/not-secret-env';

/** Name words that end a name referring to where a secret is, not the secret itself (`DB_PASSWORD_FILE`, `TOKEN_URL`). */
const REFERENCE_WORDS = new Set(['FILE', 'PATH', 'DIR', 'URL', 'URI', 'ENDPOINT', 'NAME', 'REF', 'HEADER', 'TYPE', 'TTL', 'LENGTH']);

/** Single words that say "secret": the word itself, or a compound ending in it (`ACCESSTOKEN`, `CLIENTSECRET`). */
const SECRET_WORD = new RegExp([
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'APIKEY', 'CREDENTIAL', '^PRIVATE', '(TOKEN|SECRET)S?$', '^SECRET(?!ARY|ARIES)',
  '^(API|ACCESS|SECRET|SIGNING|ENCRYPTION|MASTER)KEYS?$', '^PASS$',
].join('|'));

/** The words of a name: split at `_`, `-`, `.` and lower-to-upper case changes, upper-cased. */
function wordsOf(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(w => w !== '').map(w => w.toUpperCase());
}

/**
 * Whether an env var name says its value is a secret. Matching is by word (split at `_`, `-`,
 * `.` and camelCase), case-insensitive: a word containing PASSWORD, PASSWD, PASSPHRASE, APIKEY or
 * CREDENTIAL; the word PASS (`DB_PASS`); a word ending in TOKEN or SECRET (or starting with SECRET
 * or PRIVATE); or a last word KEY after another word (`API_KEY`, `AWS_SECRET_ACCESS_KEY`). So `KEYCLOAK_URL`, `MONKEY`,
 * `TOKENIZER_PATH`, `POSTGRES_USER` and `AWS_ACCESS_KEY_ID` are not caught, and neither is a name
 * whose last word says it refers to a secret rather than holding it (`DB_PASSWORD_FILE`,
 * `TOKEN_URL`, `SECRET_NAME`: FILE, PATH, DIR, URL, URI, ENDPOINT, NAME, REF, HEADER, TYPE, TTL, LENGTH).
 */
export function isSecretEnvName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (words.length > 1 && REFERENCE_WORDS.has(last)) return false;
  return words.some(w => SECRET_WORD.test(w)) || (words.length > 1 && (last === 'KEY' || last === 'KEYS'));
}

/**
 * Whether a literal value cannot leak a secret whatever its name: empty, or made only of
 * Kubernetes `$(VAR)` references to other variables.
 */
export function isHarmlessEnvLiteral(value: string): boolean {
  return value === '' || /^(\$\([-._a-zA-Z][-._a-zA-Z0-9]*\))+$/.test(value);
}

/**
 * Whether a literal holds a password inside a URL (`postgres://admin:hunter2@db/app`): a
 * `user:password@` part whose password is not only `$(VAR)` references, which Kubernetes expands
 * from other variables (`postgres://admin:$(DB_PASSWORD)@db/app` is fine).
 */
export function hasUrlPassword(value: string): boolean {
  const match = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@:]*:([^\s/@]+)@/.exec(value);
  return match !== null && !isHarmlessEnvLiteral(match[1]);
}

/** The env var names listed in a workload's {@link NOT_SECRET_ENV_ANNOTATION} annotation. */
export function notSecretEnvNames(annotations: Readonly<Record<string, unknown>> | undefined): Set<string> {
  const value = annotations?.[NOT_SECRET_ENV_ANNOTATION];
  return new Set(typeof value === 'string' ? value.split(',').map(n => n.trim()).filter(n => n !== '') : []);
}

/** Request headers that carry credentials whatever their value looks like. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** An Envoy command operator (`%REQ(x-api-key)%`, `%DOWNSTREAM_REMOTE_ADDRESS%`): filled in per request, not a literal. */
const ONLY_ENVOY_OPERATORS = /^(%[A-Z_]+(\([^%]*\))?(:[0-9]+)?%)+$/;

/**
 * Whether the last word of a name says it holds a secret, as {@link isSecretEnvName} reads words:
 * `x-api-key`, `x-auth-token`, `api_key`, `client-secret`, but not `x-token-expiry` or `x-key-id`.
 */
export function lastWordSaysSecret(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  return last !== undefined && (SECRET_WORD.test(last) || (words.length > 1 && (last === 'KEY' || last === 'KEYS')));
}

/**
 * Why a literal value for a header written by a route or filter would put a credential into the
 * manifests, or undefined: a credential header (`authorization`, `proxy-authorization`, `cookie`)
 * or one whose last word says secret ({@link lastWordSaysSecret}: `x-api-key`, `x-auth-token`),
 * given a value that is not empty or only Envoy command operators.
 */
export function secretHeaderProblem(name: string, value: string): string | undefined {
  if (!CREDENTIAL_HEADERS.has(name.toLowerCase()) && !lastWordSaysSecret(name)) return undefined;
  if (value === '' || ONLY_ENVOY_OPERATORS.test(value)) return undefined;
  return `the header ${name} is given a literal credential, which would be written into the manifests`;
}

/** The fix of {@link secretHeaderProblem}. */
export const SECRET_HEADER_FIX = 'have the caller send it, or inject it from a Secret at run time (an ext_authz or '
  + 'credential-injector filter reading the Secret); never write credentials into routing config';
