import { createHash, hash as oneShotHash } from 'crypto';
import { SECRET_MARKERS } from './secret-material';

/** What the synth reads from a rendered document's JSON text: made in one pass, the text itself not kept. */
export interface DocumentDigest {
  /** The SHA-256 of the document's JSON text (base64url): the key of its schema verdict (lib/analysis/schema/verdict-cache.ts). */
  readonly sha256: string;
  /**
   * Whether the text holds one of the {@link SECRET_MARKERS}, keys included: only then are the
   * document's strings searched (lib/synth/secret-values.ts).
   */
  readonly secretMarker: boolean;
}

/** The digests made during the running {@link withDocumentDigests}: its documents do not change while it runs. */
let digests: WeakMap<object, DocumentDigest> | undefined;

/**
 * Runs `fn` (one synthesis: lib/synth/pipeline.ts) with each document's digest made once and kept
 * until it returns; a document changed after it (a caller's own object, synthesized again) gets a
 * new one.
 */
export function withDocumentDigests<T>(fn: () => T): T {
  if (digests !== undefined) return fn();
  digests = new WeakMap();
  try {
    return fn();
  } finally {
    digests = undefined;
  }
}

/** The digest of a document, made from its JSON text; kept while {@link withDocumentDigests} runs. */
export function documentDigest(doc: object): DocumentDigest {
  return digests?.get(doc) ?? withText(doc).digest;
}

/**
 * A document's JSON text, for a caller that needs it whole (the YAML thread, lib/synth/yaml-dump.ts);
 * its digest is made from the same text, so that a synthesis stringifies each document once.
 */
export function documentJson(doc: object): string {
  return withText(doc).text;
}

function withText(doc: object): { readonly text: string; readonly digest: DocumentDigest } {
  const text = JSON.stringify(doc);
  let digest = digests?.get(doc);
  if (digest === undefined) {
    digest = { sha256: sha256(text), secretMarker: SECRET_MARKERS.some(marker => text.includes(marker)) };
    digests?.set(doc, digest);
  }
  return { text, digest };
}

/** The SHA-256 of a text (base64url): Node's one-shot `crypto.hash` (20.12+; half the cost for small texts), else a Hash. */
const sha256: (text: string) => string = typeof oneShotHash === 'function'
  ? text => oneShotHash('sha256', text, 'base64url')
  : text => createHash('sha256').update(text).digest('base64url');
