/**
 * Reading what a variant of the benchmark wrote, and telling whether two variants wrote the same
 * documents: the same set of objects (by apiVersion, kind, namespace and name), each with the same
 * content. Key order, file names and the split into files do not count (the variants lay out
 * their output differently: one file per chart, one file in all, one per Helm template).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** A parsed manifest document. */
export type Document = Record<string, unknown>;

/** The documents of one YAML file (empty documents left out). */
function documentsOf(file: string): Document[] {
  return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d): d is Document => d !== null);
}

/** The documents of every .yaml file under a folder (recursively), files in sorted order. */
export function documentsIn(dir: string): Document[] {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.yaml')).sort();
  return files.flatMap(f => documentsOf(path.join(dir, f)));
}

/** The documents of each top-level .yaml file of a folder, by file name without `.yaml`. */
export function documentsByFile(dir: string): Record<string, Document[]> {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort();
  return Object.fromEntries(files.map(f => [f.slice(0, -'.yaml'.length), documentsOf(path.join(dir, f))]));
}

function identity(doc: Document): string {
  const meta = (doc.metadata ?? {}) as Record<string, unknown>;
  return `${doc.apiVersion}/${doc.kind} ${meta.namespace ?? '-'}/${meta.name}`;
}

/** The first path at which two values differ, with both sides, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      const found = firstDifference(left[key], right[key], Array.isArray(a) ? `${at}[${key}]` : `${at}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return a === b ? undefined : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/**
 * How the documents of `actual` differ from those of `expected`, in one line (counts, and the
 * first missing, extra and changed object), or undefined when they are the same.
 */
export function differences(expected: readonly Document[], actual: readonly Document[]): string | undefined {
  const index = (docs: readonly Document[]) => new Map(docs.map(d => [identity(d), d]));
  const want = index(expected);
  const got = index(actual);
  const missing = [...want.keys()].filter(k => !got.has(k));
  const extra = [...got.keys()].filter(k => !want.has(k));
  const changed = [...want.keys()].filter(k => got.has(k)).map(k => [k, firstDifference(want.get(k), got.get(k), '')] as const)
    .filter(([, d]) => d !== undefined);
  const problems = [
    expected.length !== want.size || actual.length !== got.size ? 'some objects defined twice' : '',
    missing.length ? `${missing.length} missing (first: ${missing[0]})` : '',
    extra.length ? `${extra.length} extra (first: ${extra[0]})` : '',
    changed.length ? `${changed.length} differ (first: ${changed[0][0]} at ${changed[0][1]})` : '',
  ].filter(Boolean);
  return problems.length ? `${problems.join('; ')}; ${actual.length} documents vs ${expected.length}` : undefined;
}
