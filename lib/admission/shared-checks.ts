import { Json, Report, childPath, entriesIn, objectAt, objectsIn } from './rule';
import { MAX_ANNOTATIONS_BYTES } from '../analysis/schema/metadata';
import { isIstioDnsLabel, isIstioFqdn, isIstioWildcardDomain } from '../core/dns';
import { isLabelKey, isLabelValue } from '../core/labels';
import { SUBSET_NAME_FIX } from '../core/names';
import { isIpAddress, isPortNumber } from '../core/network';
import { re2Problem } from '../core/regex';

/** Field checks several rule modules share. Each reports through `report` and returns nothing. */

/** Fix text for a port number. */
export const PORT_FIX = 'use an integer from 1 to 65535';
/** Fix text for a regex. */
export const RE2_FIX = 'write an RE2 regex (no lookaround or backreferences, see https://github.com/google/re2/wiki/Syntax) of at most 1024 bytes';
const HOST_FIX = 'use a DNS name such as "shop.example.com", a short service name, or a wildcard such as "*.example.com", '
  + 'without scheme, port or path';

/** A port number, when the field is set. */
export function checkPort(value: unknown, path: string, report: Report): void {
  if (value !== undefined && !isPortNumber(value)) report(path, `${JSON.stringify(value)} is not a port number`, PORT_FIX);
}

/** A regex Istio hands to Envoy: RE2 syntax, at most 1024 bytes, not empty. */
export function checkRegex(value: unknown, path: string, report: Report): void {
  if (typeof value !== 'string') return;
  if (value === '') {
    report(path, 'the regex is empty', 'write a regex that matches what you mean, or use exact or prefix');
    return;
  }
  const problem = re2Problem(value);
  if (problem !== undefined) report(path, problem, RE2_FIX);
}

/**
 * An Istio StringMatch (`exact`, `prefix` or `regex`): the regex compiles as RE2; a prefix is not
 * empty unless `emptyPrefixOk` (only `uri` allows it).
 */
export function checkStringMatch(value: unknown, path: string, report: Report, emptyPrefixOk = false): void {
  const match = objectAt(value);
  if (match === undefined) return;
  checkRegex(match.regex, childPath(path, 'regex'), report);
  if (match.prefix === '' && !emptyPrefixOk) {
    report(childPath(path, 'prefix'), 'the prefix is empty',
      'remove the match, or give a non-empty prefix');
  }
}

/** A host Istio accepts (ValidateWildcardDomain, or an IP address when `ipOk`): no scheme, port or path. */
export function checkIstioHost(value: unknown, path: string, report: Report, ipOk = false): void {
  if (typeof value !== 'string' || isIstioWildcardDomain(value) || (ipOk && isIpAddress(value))) return;
  const why = value.includes('://') ? ' (a host has no scheme)' : value.includes('/') ? ' (a host has no path)' : value.includes(':') ? ' (a host has no port)' : '';
  report(path, `${JSON.stringify(value)} is not a host Istio accepts${why}`, HOST_FIX);
}

/** A route destination: host (not `*`), subset name, port number. */
export function checkDestination(value: unknown, path: string, report: Report): void {
  const destination = objectAt(value);
  if (destination === undefined) return;
  const hostPath = childPath(path, 'host');
  if (destination.host === '*') report(hostPath, 'a destination cannot be the wildcard host "*"', 'name the service or external host');
  else checkIstioHost(destination.host, hostPath, report);
  checkSubsetName(destination.subset, childPath(path, 'subset'), report);
  checkPort(objectAt(destination.port)?.number, childPath(childPath(path, 'port'), 'number'), report);
}

/** A DestinationRule subset name (Istio: a DNS-1123 label, so no dots). */
export function checkSubsetName(value: unknown, path: string, report: Report): void {
  if (typeof value !== 'string' || isIstioDnsLabel(value)) return;
  report(path, `subset name ${JSON.stringify(value)} is not a DNS-1123 label`, SUBSET_NAME_FIX);
}

/**
 * A Kubernetes label map (or an Istio label set, which takes the same values): qualified-name keys
 * and label values, empty ones included.
 */
export function checkLabelMap(value: unknown, path: string, report: Report): void {
  for (const [key, v] of entriesIn(value)) {
    if (!isLabelKey(key)) {
      report(childPath(path, key), `label key ${JSON.stringify(key)} is not a qualified name`,
        'use an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", '
        + 'starting and ending with a letter or digit');
    }
    if (typeof v === 'string' && !isLabelValue(v)) {
      report(childPath(path, key), `label value ${JSON.stringify(v)} is not a valid label value`,
        'use an empty value or at most 63 letters, digits, "-", "_" and ".", '
        + 'starting and ending with a letter or digit');
    }
  }
}

/**
 * An annotation map: qualified-name keys (checked lower-cased, as the API server does: a prefix may
 * be in upper case), at most 256 KiB of UTF-8 in all.
 */
export function checkAnnotationKeys(value: unknown, path: string, report: Report): void {
  let size = 0;
  for (const [key, annotation] of entriesIn(value)) {
    if (!isLabelKey(key.toLowerCase())) {
      report(childPath(path, key), `annotation key ${JSON.stringify(key)} is not a qualified name`,
        'use an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", '
        + 'starting and ending with a letter or digit');
    }
    size += Buffer.byteLength(key) + (typeof annotation === 'string' ? Buffer.byteLength(annotation) : 0);
  }
  if (size > MAX_ANNOTATIONS_BYTES) {
    report(path, `the annotations total ${size} bytes, more than the API server's ${MAX_ANNOTATIONS_BYTES}`,
      'keep large data in a ConfigMap (mounted as a volume) instead of annotations');
  }
}

/** An Istio workload selector's labels: no empty key, no `*` wildcard (Istio refuses both). */
export function checkWorkloadSelectorLabels(value: unknown, path: string, report: Report): void {
  for (const [key, v] of entriesIn(value)) {
    const entryPath = childPath(path, key);
    if (key === '') report(entryPath, 'the selector has an empty label key', 'name the label');
    if (key.includes('*') || (typeof v === 'string' && v.includes('*'))) {
      report(entryPath, 'a workload selector does not take wildcards',
        'select by exact label values, or drop the selector to apply to the whole namespace');
    }
  }
  checkLabelMap(value, path, report);
}

/** A VirtualService `gateways` entry: `<namespace>/<name>` with DNS-1123 labels, or a name (`mesh` included). */
export function checkGatewayReference(value: unknown, path: string, report: Report): void {
  if (typeof value !== 'string') return;
  const slash = value.indexOf('/');
  const ok = slash < 0 ? isIstioFqdn(value) : isIstioDnsLabel(value.slice(0, slash)) && isIstioDnsLabel(value.slice(slash + 1));
  if (!ok) {
    report(path, `${JSON.stringify(value)} is not a gateway reference`,
      'use "<namespace>/<gateway name>", a gateway name in the same namespace, or "mesh"');
  }
}

/**
 * An `exportTo` list: `.`, `*` or namespace names (`~` too for a ServiceEntry), no duplicates, and
 * `*` alone (Istio's validateExportTo).
 */
export function checkExportTo(value: unknown, path: string, report: Report, noneOk: boolean): void {
  if (!Array.isArray(value)) return;
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const entryPath = childPath(path, i);
    if (entry !== '.' && entry !== '*' && !(noneOk && entry === '~') && !isIstioDnsLabel(entry)) {
      report(entryPath, `${JSON.stringify(entry)} is not ".", "*" or a namespace name`,
        'use "." for the own namespace, "*" for every namespace, or namespace names');
    }
    if (seen.has(entry)) report(entryPath, `"${entry}" is listed twice`, 'list each namespace once');
    seen.add(entry);
  });
  if (value.length > 1 && (seen.has('*') || seen.has('~'))) {
    report(path, `"${seen.has('*') ? '*' : '~'}" cannot be combined with other entries`, 'use it alone, or list the namespaces');
  }
}

/** The kinds a security or telemetry policy's `targetRef(s)` can name (group/Kind; Istio's webhook refuses others). */
const TARGET_KINDS = new Set(['/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass']);

/**
 * `targetRef` and `targetRefs[]` of an AuthorizationPolicy, RequestAuthentication or Telemetry: a
 * Service, ServiceEntry, Gateway or GatewayClass.
 */
export function checkPolicyTargets(spec: Json, report: Report): void {
  const refs: Array<[Json, string]> = [...objectsIn(spec.targetRefs, 'spec.targetRefs')];
  const single = objectAt(spec.targetRef);
  if (single !== undefined) refs.push([single, 'spec.targetRef']);
  for (const [ref, refPath] of refs) {
    const group = typeof ref.group === 'string' ? ref.group : '';
    if (typeof ref.kind === 'string' && !TARGET_KINDS.has(`${group}/${ref.kind}`)) {
      report(childPath(refPath, 'kind'), `a policy cannot target ${group === '' ? '' : `${group}/`}${ref.kind}`,
        'target a Service (group ""), a ServiceEntry (networking.istio.io), or a Gateway or GatewayClass (gateway.networking.k8s.io); '
        + 'for workloads, use a selector');
    }
  }
}
