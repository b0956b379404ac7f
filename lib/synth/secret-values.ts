import type { RenderedObject } from './render';
import { childPath, objectAt } from '../admission/rule';
import { secretRules } from '../admission/secret-rules';
import { urlCredentialRules } from '../admission/url-credential-rules';
import { splitApiVersion } from '../analysis/group-kinds';
import type { AnalysisInput } from '../analysis/mesh-index';
import { documentDigest } from '../core/document-digest';
import { hasUrlPassword, isHarmlessEnvLiteral, isSecretEnvName } from '../core/secret-env-name';
import { BASE64_PEM_MARKER, PROVIDER_TOKEN, SECRET_MARKERS, containsPemPrivateKey } from '../core/secret-material';

/**
 * A step of the synth pipeline, after the schema check: nothing written into the manifests may
 * hold a secret value. A Secret with `data` or `stringData`, and in any string of any document (a
 * ConfigMap, an annotation, an env value, a probe's or route's header) a PEM private key (also
 * base64-encoded), an Authorization value (`Bearer <token>`, `Basic <base64 of user:password>`) or
 * a JSON Web Token or a provider token (`ghp_…`, `sk_live_…`) fail the synthesis, as does a
 * password in a URL (`https://admin:hunter2@…`) in a kind no admission rule judges URLs of (another
 * project's custom resources; the rules have their own message, and the env rule its opt-out), and a
 * ConfigMap key named like a secret with a literal value; the analyze command reads manifests that are already
 * written and does not run this step. Messages name the field,
 * never the value.
 */
export function secretValueProblems(inputs: readonly AnalysisInput[]): string[] {
  const problems: string[] = [];
  for (const input of inputs) {
    const { doc, constructPath } = input;
    const where = `${constructPath ?? `${doc.kind}/${objectAt(doc.metadata)?.name}`}: `;
    if (doc.apiVersion === 'v1' && doc.kind === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const values = objectAt(doc[field]);
        if (values && Object.keys(values).length > 0) {
          const name = objectAt(doc.metadata)?.name;
          problems.push(`${where}${field}: Secret "${name}" holds secret values (${Object.keys(values).join(', ')}), `
            + 'which would be written into the manifests. Fix: create the Secret in the cluster (kubectl create secret, or a secrets '
            + 'operator such as External Secrets or Sealed Secrets) and keep only references to it by name in the app');
        }
      }
    }
    if (doc.apiVersion === 'v1' && doc.kind === 'ConfigMap') problems.push(...configMapSecrets(doc, where));
    if (!mayHoldSecret(doc, (input as Partial<RenderedObject>).plainData === true)) continue;
    for (const { field, what } of secretFields(doc, '', !urlPasswordsJudged(doc))) {
      problems.push(`${where}${field}: the value holds ${what}, which would be written into the manifests. Fix: ${FIXES[what]}`);
    }
  }
  return problems;
}

/** The kinds whose URL passwords the admission rules judge: url-credential-rules.ts, and secret-rules.ts's env and arguments. */
const URL_PASSWORD_KINDS: ReadonlySet<string> = new Set([...urlCredentialRules.kinds, ...secretRules.kinds]);

/** Whether the admission rules judge the URL passwords of the document's kind (so this step leaves them to those rules). */
function urlPasswordsJudged(doc: Record<string, unknown>): boolean {
  const { group } = splitApiVersion(typeof doc.apiVersion === 'string' ? doc.apiVersion : '');
  return URL_PASSWORD_KINDS.has(`${group}/${String(doc.kind)}`);
}

/** A key written as an env var name (`DB_PASSWORD`), as the ConfigMaps an `envFrom` reads are; `tokens.txt` is a file's name. */
const ENV_STYLE = /^[A-Z_][A-Z0-9_]*$/;

/**
 * A ConfigMap key named like a secret (`DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`: the env names the
 * workloads refuse as literals, lib/core/secret-env-name.ts) with a literal value: `envFrom` makes
 * each key an env var, so the ConfigMap would carry the secret the env rule keeps out.
 */
function configMapSecrets(doc: Record<string, unknown>, where: string): string[] {
  return Object.entries(objectAt(doc.data) ?? {})
    .filter(([key, value]) => ENV_STYLE.test(key) && isSecretEnvName(key) && typeof value === 'string' && !isHarmlessEnvLiteral(value))
    .map(([key]) => `${where}${childPath('data', key)}: a ConfigMap key named like a secret holds a literal value, which would be `
      + 'written into the manifests (envFrom makes it an env var). Fix: keep it in a Secret created in the cluster and reference '
      + 'it by name (secretKeyRef, envFrom secretRef, a Secret volume)');
}

/** What a string can hold that must not be written, as messages name it. */
type SecretKind = 'a PEM private key' | 'a base64-encoded PEM private key' | 'a bearer token' | 'basic-auth credentials'
  | 'a JSON Web Token' | 'a provider token (GitHub, GitLab, Stripe, Slack)' | 'a password inside a URL (user:password@)';

const KEY_FIX = 'keep keys in a Secret created in the cluster and reference it by name (credentialName, secretKeyRef, a Secret volume)';
const TOKEN_FIX = 'have the caller send the credential, or read it at run time from a Secret (secretKeyRef, a Secret volume); '
  + 'never write it into the manifests';
const FIXES: Record<SecretKind, string> = {
  'a PEM private key': KEY_FIX,
  'a base64-encoded PEM private key': KEY_FIX,
  'a bearer token': TOKEN_FIX,
  'basic-auth credentials': TOKEN_FIX,
  'a JSON Web Token': TOKEN_FIX,
  'a provider token (GitHub, GitLab, Stripe, Slack)': TOKEN_FIX,
  'a password inside a URL (user:password@)': 'keep the credential in a Secret the service reads (a mounted file or an env var from '
    + 'secretKeyRef), not in the URL',
};

/**
 * `Bearer <token>` or `Basic <credentials>`: an Authorization header value, told from prose
 * ("Basic authentication", "Bearer tokens") by what follows: a token with a digit, or the base64 of
 * `user:password`.
 */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{12,})/gi;
/** A JSON Web Token: three base64url parts, the first two JSON objects (`eyJ` is the base64 of `{"`). */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

/**
 * Whether any string of a document may hold secret material: one of the {@link SECRET_MARKERS}.
 * Plain JSON data (what cdk8s's and the library's rendering give) is searched in its JSON text,
 * made once per synthesis; anything else is walked, as its JSON text (a `toJSON()`) may not show
 * what it holds.
 */
function mayHoldSecret(doc: object, plainData: boolean): boolean {
  return plainData ? documentDigest(doc).secretMarker : holdsSecretMarker(doc);
}

/** Whether any string under `value` holds one of the {@link SECRET_MARKERS}: a walk that builds nothing. */
function holdsSecretMarker(value: unknown): boolean {
  if (typeof value === 'string') return SECRET_MARKERS.some(marker => value.includes(marker));
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsSecretMarker);
  for (const key in value) if (holdsSecretMarker((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** What secret material a string holds, if any (a password in a URL only with `urls`). */
function secretIn(value: string, urls: boolean): SecretKind | undefined {
  if (containsPemPrivateKey(value)) return 'a PEM private key';
  const encoded = value.indexOf(BASE64_PEM_MARKER);
  if (encoded !== -1 && containsPemPrivateKey(Buffer.from(value.slice(encoded), 'base64').toString('latin1'))) {
    return 'a base64-encoded PEM private key';
  }
  for (const [, scheme, credential] of value.matchAll(AUTHORIZATION_VALUE)) {
    if (scheme.toLowerCase() === 'basic' ? isBasicCredential(credential) : /[0-9]/.test(credential)) {
      return scheme.toLowerCase() === 'basic' ? 'basic-auth credentials' : 'a bearer token';
    }
  }
  if (JWT.test(value)) return 'a JSON Web Token';
  if (urls && value.includes('@') && hasUrlPassword(value)) return 'a password inside a URL (user:password@)';
  return PROVIDER_TOKEN.test(value) ? 'a provider token (GitHub, GitLab, Stripe, Slack)' : undefined;
}

/** Whether a Basic credential is what the scheme carries: the base64 of printable `user:password`. */
function isBasicCredential(credential: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credential)) return false;
  const decoded = Buffer.from(credential, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

/** The paths of the strings under `value` that hold secret material, with what they hold. */
function secretFields(value: unknown, path: string, urls: boolean): { field: string; what: SecretKind }[] {
  if (typeof value === 'string') {
    const what = secretIn(value, urls);
    return what === undefined ? [] : [{ field: path || '(document)', what }];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => secretFields(item, childPath(path, i), urls));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => secretFields(item, childPath(path, key), urls));
  }
  return [];
}
