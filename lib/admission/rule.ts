import { isPlainObject } from '../analysis/schema/field-path';
import { memoized } from '../core/memo';

/** A plain JSON document (or any object inside one). */
export type Json = Record<string, unknown>;

/**
 * Records one problem of a document: the dotted field path from the document root
 * (`spec.http[0].match[0].uri.regex`), what is wrong, and how to fix it (both without a trailing period).
 */
export type Report = (path: string, problem: string, fix: string) => void;

/**
 * One area of the rules the Kubernetes API server or Istio's validating webhook enforce beyond the
 * schemas, over a plain JSON document — so it applies alike to library-rendered objects, raw
 * ApiObjects, JSON patches and escape hatches.
 */
export interface AdmissionRule {
  /** Kinds checked, as `<API group>/<Kind>`; the core group is empty (`/Service`). */
  readonly kinds: readonly string[];
  /** Reports every problem of one document of one of {@link kinds}. */
  check(doc: Json, report: Report): void;
}

/** The kinds whose controllers run pods from a template (`spec.template`, a CronJob's `spec.jobTemplate`). */
export const CONTROLLER_KINDS: readonly string[] = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet',
  'batch/Job', 'batch/CronJob', '/ReplicationController'];

/** `value` when it is a JSON object, else undefined. */
export function objectAt(value: unknown): Json | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** `value` when it is a list, else an empty one. */
export function listAt(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The object items of a list with their paths (`<path>[i]`); other items are left to the schema check. */
export function objectsIn(value: unknown, path: string): Array<[Json, string]> {
  const out: Array<[Json, string]> = [];
  listAt(value).forEach((item, i) => {
    if (isPlainObject(item)) out.push([item, childPath(path, i)]);
  });
  return out;
}

/** The string items of a list with their paths. */
export function stringsIn(value: unknown, path: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  listAt(value).forEach((item, i) => {
    if (typeof item === 'string') out.push([item, childPath(path, i)]);
  });
  return out;
}

/** The entries of a map with their paths (`<path>.key` or `<path>["a/b"]`). */
export function entriesOf(value: unknown, path: string): Array<[string, unknown, string]> {
  return isPlainObject(value) ? Object.entries(value).map(([key, v]) => [key, v, childPath(path, key)]) : [];
}

/** The entries of a map, without paths (build one with {@link childPath} when reporting). */
export function entriesIn(value: unknown): Array<[string, unknown]> {
  return isPlainObject(value) ? Object.entries(value) : [];
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const keySegment = memoized((key: string) => (PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`));

/**
 * The dotted path of a child, written as the schema validator writes it (field-path.ts): `spec.hosts`,
 * `[2]` for a list index, `["app.kubernetes.io/name"]` for any other key — with the key's form cached,
 * since this runs for every field the rules visit.
 */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const segment = keySegment(key);
  return parent === '' && segment.startsWith('.') ? key : parent + segment;
}
