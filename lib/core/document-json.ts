/** Each rendered document's JSON text, made once. */
const made = new WeakMap<object, string>();

/**
 * The JSON text of a rendered document, made on first use and kept for as long as the document
 * lives: documents are final once rendered, and the synth reads the text twice, as the schema
 * verdict's key (lib/analysis/schema/verdict-cache.ts) and to look for secret markers in one
 * search instead of a walk of every string (lib/synth/secret-values.ts).
 */
export function documentJson(doc: object): string {
  let json = made.get(doc);
  if (json === undefined) {
    json = JSON.stringify(doc);
    made.set(doc, json);
  }
  return json;
}
