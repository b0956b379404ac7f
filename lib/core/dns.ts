/**
 * Predicates for the DNS-style names Kubernetes and Istio accept. Pure functions: no construct,
 * no error; the `check…` helpers in names.ts and the document rules in lib/admission build on them.
 */
import { memoized } from './memo';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Istio's DNS-1123 label (pkg/config/labels): like Kubernetes', but upper case is allowed. */
const ISTIO_DNS_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** Istio's wildcard first label: `*`, or a label optionally prefixed by `*` or `*-`. */
const ISTIO_WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const HAS_LETTER = /[a-z]/;

/** A Kubernetes DNS-1123 label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends (namespaces, volumes,
  containers). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1035 label: a DNS-1123 label that starts with a letter (Service names). */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** A Kubernetes DNS-1123 subdomain: dot-separated labels, at most 253 characters (most object names). */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A DNS-1123 label as Istio's webhook checks it (gateway and subset names): upper case allowed, no dots. */
export function isIstioDnsLabel(value: string): boolean {
  return value.length <= 63 && ISTIO_DNS_LABEL.test(value);
}

/**
 * A fully qualified domain name as Istio checks it (ValidateFQDN): 1–255 characters of Istio DNS
 * labels, a trailing dot allowed, the last label not all digits.
 */
export function isIstioFqdn(value: string): boolean {
  return value.length > 0 && value.length <= 255 && labelsOk(value);
}

/**
 * A host as Istio checks it (ValidateWildcardDomain): an FQDN or short name whose first label may
 * be a wildcard (`*`, `*.example.com`, `*-foo.example.com`). No scheme, port or path.
 */
export const isIstioWildcardDomain: (value: string) => boolean = memoized(wildcardDomainOk);

function wildcardDomainOk(value: string): boolean {
  if (value.length === 0 || value.length > 255) return false;
  const dot = value.indexOf('.');
  const first = dot < 0 ? value : value.slice(0, dot);
  if (first.length > 63 || !ISTIO_WILDCARD_LABEL.test(first)) return false;
  return dot < 0 || labelsOk(value.slice(dot + 1));
}

function labelsOk(domain: string): boolean {
  const labels = domain.split('.');
  if (/^\d+$/.test(labels[labels.length - 1])) return false;
  return labels.every((label, i) => (i === labels.length - 1 && label === '') || isIstioDnsLabel(label));
}

/**
 * An IANA service name, as Kubernetes requires for container port names and probe ports given by
 * name: at most 15 lower-case letters, digits and '-', at least one letter, no '--', alphanumeric at both ends.
 */
export function isIanaSvcName(value: string): boolean {
  return value.length <= 15 && IANA_SVC_NAME.test(value) && HAS_LETTER.test(value) && !value.includes('--');
}
