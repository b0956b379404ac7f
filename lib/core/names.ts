import { IConstruct } from 'constructs';
import { Check, checkWith, describeGiven } from './check';
import { isDns1035Label, isDnsLabel, isDnsSubdomain, isIstioDnsLabel, isIstioWildcardDomain } from './dns';
import { MeshConfigError } from './errors';
import { isLabelKey, isLabelValue } from './labels';

/**
 * Checks a Kubernetes object name that must be an RFC 1035 label (Services, Namespaces):
 * lower case, digits and '-', starting with a letter, at most 63 characters.
 */
export const checkDnsLabel: Check<string> = checkWith(isDns1035Label, v => `"${v}" is not a valid DNS label`,
  'use at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit');

/** Checks a Kubernetes object name that must be a DNS subdomain (most kinds), at most 253 characters. */
export const checkDnsSubdomain: Check<string> = checkWith(isDnsSubdomain, v => `"${v}" is not a valid DNS subdomain name`,
  'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit');

/** How to fix a DestinationRule subset name Istio refuses (the construct's check and the admission rule say the same). */
export const SUBSET_NAME_FIX = 'use at most 63 letters, digits and "-" (no dots), starting and ending with a letter or digit';

/** Checks a DestinationRule subset name: Istio's webhook takes only a DNS-1123 label (no dots, at most 63 characters). */
export const checkSubsetName: Check<string> = checkWith(isIstioDnsLabel, v => `subset name "${v}" is not a DNS-1123 label`,
  SUBSET_NAME_FIX);

/** Checks a namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters). */
export const checkNamespaceName: Check<string> = checkWith(isDnsLabel, v => `"${v}" is not a valid namespace name`,
  'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');

/** Checks a Kubernetes label value (at most 63 characters of letters, digits, '-', '_', '.'). */
export const checkLabelValue: Check<string> = checkWith(v => typeof v === 'string' && isLabelValue(v),
  v => (typeof v === 'string' ? `"${v}" is not a valid label value` : `must be a string, not ${describeGiven(v)} (label values are)`),
  'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit, as a string');

/** Checks a Kubernetes label or annotation key (`[prefix/]name`, e.g. `app` or `app.kubernetes.io/name`). */
export const checkLabelKey: Check<string> = checkWith(isLabelKey, v => `"${v}" is not a valid label or annotation key`,
  'use an optional DNS-subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", '
    + 'starting and ending with a letter or digit');

/** Checks every key and value of a label map (`field.<key>` names a bad entry). */
export function checkLabels(scope: IConstruct, field: string, labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  for (const [key, value] of Object.entries(labels)) {
    checkLabelKey(scope, `${field}.${key}`, key);
    checkLabelValue(scope, `${field}.${key}`, value);
  }
  return labels;
}

/** Checks an `exportTo` entry: `.` (own namespace), `*` (all) or a namespace name. */
export const checkExportTo: Check<string> = checkWith(v => v === '.' || v === '*' || isDnsLabel(v),
  v => `"${v}" is not ".", "*" or a namespace name`, 'use "." for the resource\'s own namespace, "*" for all, or a namespace');

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

/**
 * Checks a Gateway server host: `host`, `*`, `*.domain`, optionally prefixed by `<namespace>/`,
 * `./` or `*\/` to scope which VirtualServices may bind to it.
 */
export function checkGatewayHost(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string') {
    throw new MeshConfigError(scope, field, `must be a host name, not ${describeGiven(value)}`,
      'give a host such as "shop.example.com" or "*"');
  }
  const [namespace, host] = value.includes('/') ? value.split('/', 2) : [undefined, value];
  const namespaceOk = namespace === undefined || namespace === '.' || namespace === '*' || isDnsLabel(namespace);
  if (!namespaceOk || !HOST.test(host)) {
    throw new MeshConfigError(scope, field, `"${value}" is not a host Istio accepts`,
      'use a lower-case DNS name, "*" or "*.domain", optionally prefixed by "<namespace>/"');
  }
  return value;
}

/**
 * Checks a route or service host (VirtualService, DestinationRule, ServiceEntry hosts): a DNS
 * name, short name or wildcard domain — no scheme, port or path (`https://shop.example.com` is refused).
 */
export function checkHost(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string') {
    throw new MeshConfigError(scope, field, `must be a host name, not ${describeGiven(value)}`,
      'give a DNS name such as "shop.example.com"');
  }
  if (!isIstioWildcardDomain(value)) {
    const hint = value.includes('://') ? ' (a host has no scheme)' : value.includes('/') ? ' (a host has no path)' : '';
    throw new MeshConfigError(scope, field, `"${value}" is not a host Istio accepts${hint}`,
      'use a DNS name such as "shop.example.com", a short service name, or a wildcard such as "*.example.com"');
  }
  return value;
}

/** Checks the keys of an annotation map (`field.<key>` names a bad one); returns it, or undefined when empty. */
export function checkAnnotationKeys(scope: IConstruct, field: string,
  annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (annotations === undefined || Object.keys(annotations).length === 0) return undefined;
  for (const key of Object.keys(annotations)) checkLabelKey(scope, `${field}.${key}`, key);
  return annotations;
}
