import { childPath, isPlainObject } from './field-path';
import type { FieldProblem } from './violation';
import { memoized } from '../../core/memo';

/**
 * Which name format a kind's `metadata.name` must have (Kubernetes apimachinery's name validators);
 * `unknown` for a built-in kind whose rule is not known here (an IPAddress is named by its address).
 */
export type NameFormat = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'unknown';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The ObjectMeta fields; any other is unknown, as strict field validation says. */
const OBJECT_META_FIELDS = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/** The API server's limit on the total size of an object's annotations. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const NAME_FORMATS: Record<Exclude<NameFormat, 'unknown'>, { readonly pattern: RegExp; readonly max: number; readonly words: string }> = {
  dns1123Subdomain: {
    pattern: DNS1123_SUBDOMAIN,
    max: 253,
    words: 'a DNS-1123 subdomain (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
  },
  dns1123Label: {
    pattern: DNS1123_LABEL,
    max: 63,
    words: 'a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit',
  },
  dns1035Label: {
    pattern: DNS1035_LABEL,
    max: 63,
    words: 'a DNS-1035 label (lower-case letters, digits and \'-\', starting with a letter and ending with a letter or digit',
  },
};

/**
 * Checks the object metadata the way the API server's ObjectMeta validation does: a name in the
 * kind's format, a namespace that is a DNS-1123 label, label keys and annotation keys that are
 * qualified names, label values of at most 63 characters, no unknown metadata fields. Values of
 * the wrong JSON type are left to the type checks of the kind's schema.
 */
export function checkMetadata(doc: Record<string, unknown>, nameFormat: NameFormat): FieldProblem[] {
  const metadata = doc.metadata;
  if (!isPlainObject(metadata)) {
    return [{ path: 'metadata', message: metadata === undefined ? 'is required' : 'must be an object', source: 'schema' }];
  }
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) {
      problems.push(schemaProblem(childPath('metadata', key), `unknown field ${JSON.stringify(key)} in object metadata`,
        'remove it, or correct its name (labels, annotations, name and namespace are the usual ones)'));
    }
  }
  if (metadata.name === undefined && metadata.generateName === undefined) {
    problems.push(schemaProblem('metadata.name', 'is required', 'give the object a name'));
  } else if (typeof metadata.name === 'string' && nameFormat !== 'unknown') {
    const problem = nameProblem(metadata.name, NAME_FORMATS[nameFormat]);
    if (problem !== undefined) problems.push(schemaProblem('metadata.name', problem, renameFix(metadata.name, NAME_FORMATS[nameFormat])));
  }
  if (typeof metadata.namespace === 'string') {
    const problem = nameProblem(metadata.namespace, NAME_FORMATS.dns1123Label);
    if (problem !== undefined) problems.push(schemaProblem('metadata.namespace', problem, 'use the name of a namespace'));
  }
  if (isPlainObject(metadata.labels)) {
    for (const [key, value] of Object.entries(metadata.labels)) {
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem !== undefined) {
        problems.push(schemaProblem(childPath('metadata.labels', key), `label key ${keyProblem}`,
          'rename the label, e.g. "app" or "example.com/team"'));
      }
      if (typeof value === 'string' && value !== '' && (value.length > 63 || !QUALIFIED_NAME_PART.test(value))) {
        problems.push(schemaProblem(childPath('metadata.labels', key), `label value ${JSON.stringify(value)} must be at most 63 `
          + 'characters of letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
        'shorten the value, or keep it in an annotation'));
      }
    }
  }
  if (isPlainObject(metadata.annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(metadata.annotations)) {
      const keyProblem = qualifiedNameProblem(key.toLowerCase()); // the API server lower-cases annotation keys to check them
      if (keyProblem !== undefined) {
        problems.push(schemaProblem(childPath('metadata.annotations', key), `annotation key ${keyProblem}`,
          'rename the annotation, e.g. "example.com/owner"'));
      }
      size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (size > MAX_ANNOTATIONS_BYTES) {
      problems.push(schemaProblem('metadata.annotations', `total size ${size} must be at most ${MAX_ANNOTATIONS_BYTES} bytes`,
        'keep large data in a ConfigMap instead of annotations'));
    }
  }
  return problems;
}

/** The fix for a name of the wrong format: rename it, to the name in that format when one is near (`My_Cert` → `my-cert`). */
function renameFix(name: string, format: (typeof NAME_FORMATS)[keyof typeof NAME_FORMATS]): string {
  const near = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, format.max)
    .replace(/[^a-z0-9]+$/, '');
  return near !== '' && nameProblem(near, format) === undefined ? `rename the object, e.g. "${near}"` : 'rename the object';
}

/** A problem found by the schema checks. */
function schemaProblem(path: string, message: string, fix: string): FieldProblem {
  return { path, message: `${message}. Fix: ${fix}`, source: 'schema' };
}

function nameProblem(value: string, format: (typeof NAME_FORMATS)[keyof typeof NAME_FORMATS]): string | undefined {
  if (value.length <= format.max && format.pattern.test(value)) return undefined;
  return `${JSON.stringify(value)} must be ${format.words}, at most ${format.max} characters)`;
}

/** Why a label or annotation key is not a qualified name (`[prefix/]name`), or undefined when it is (memoized: keys recur). */
const qualifiedNameProblem = memoized(keyProblemOf);

function keyProblemOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `${JSON.stringify(key)} must have a prefix that is a DNS-1123 subdomain (at most 253 characters) before the '/'`;
  }
  if (name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return `${JSON.stringify(key)} must end in a name of at most 63 characters of letters, digits, '-', '_' and '.', `
      + 'starting and ending with a letter or digit';
  }
  return undefined;
}
