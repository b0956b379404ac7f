import { createHash, hash as oneShotHash } from 'crypto';
import { SECRET_MARKERS } from './secret-material';
import { synthesisStore } from './synthesis-memo';

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

/** Where the running synthesis keeps each document's digest (its documents do not change while it runs; lib/core/synthesis-memo.ts). */
const DIGESTS = 'document-digests';

/**
 * The digest of a document, made from its JSON text; kept while a synthesis runs
 * (`withSynthesisScope`): a document changed after it (a caller's own object, synthesized again)
 * gets a new one.
 */
export function documentDigest(doc: object): DocumentDigest {
  return synthesisStore<DocumentDigest>(DIGESTS)?.get(doc) ?? withText(doc).digest;
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
  const digests = synthesisStore<DocumentDigest>(DIGESTS);
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
