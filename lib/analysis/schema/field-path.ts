/** Map keys that can be written after a dot; any other key is written as `["key"]`. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The dotted path of a child: `spec.hosts` for an identifier-like key, `[2]` appended for a list
 * index, `["app.kubernetes.io/name"]` appended for any other map key.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Where a JSON Pointer leads in a document: its dotted path and the value found there. */
export interface ResolvedPointer {
  /** Dotted path, as {@link childPath} writes it. */
  readonly path: string;
  /** The value at the pointer, `undefined` when there is none. */
  readonly value: unknown;
}

/**
 * Follows a JSON Pointer (an ajv `instancePath` such as `/spec/http/0/route`) through `doc`, using
 * the document to tell list indexes from map keys that look like numbers.
 */
export function resolvePointer(doc: unknown, pointer: string): ResolvedPointer {
  let path = '';
  let value = doc;
  if (pointer === '') return { path, value };
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = childPath(path, Number(key));
      value = value[Number(key)];
    } else {
      path = childPath(path, key);
      value = isPlainObject(value) ? value[key] : undefined;
    }
  }
  return { path, value };
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `path` is `ancestor` itself or lies under it. */
export function isAtOrUnder(path: string, ancestor: string): boolean {
  if (ancestor === '' || path === ancestor) return true;
  return path.startsWith(ancestor) && (path[ancestor.length] === '.' || path[ancestor.length] === '[');
}
