import { IConstruct } from 'constructs';
import { MeshConfigError } from './errors';

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Checks a Kubernetes object name that must be an RFC 1035 label (Services, Namespaces):
 * lower case, digits and '-', starting with a letter, at most 63 characters.
 */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): string {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    throw new MeshConfigError(scope, field, `"${value}" is not a valid DNS label`,
      'use at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit');
  }
  return value;
}

/** Checks a Kubernetes object name that must be a DNS subdomain (most kinds), at most 253 characters. */
export function checkDnsSubdomain(scope: IConstruct, field: string, value: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    throw new MeshConfigError(scope, field, `"${value}" is not a valid DNS subdomain name`,
      'use lower-case letters, digits, "-" and ".", starting and ending with a letter or digit');
  }
  return value;
}

/** Checks a Kubernetes label value (at most 63 characters of letters, digits, '-', '_', '.'). */
export function checkLabelValue(scope: IConstruct, field: string, value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new MeshConfigError(scope, field, `"${value}" is not a valid label value`,
      'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
  }
  return value;
}

/** Checks an `exportTo` entry: `.` (own namespace), `*` (all) or a namespace name. */
export function checkExportTo(scope: IConstruct, field: string, value: string): string {
  if (value !== '.' && value !== '*' && (value.length > 63 || !DNS_LABEL_RFC1123.test(value))) {
    throw new MeshConfigError(scope, field, `"${value}" is not ".", "*" or a namespace name`, 'use "." for the resource\'s own namespace, "*" for all, or a namespace');
  }
  return value;
}

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

/**
 * Checks a Gateway server host: `host`, `*`, `*.domain`, optionally prefixed by `<namespace>/`,
 * `./` or `*\/` to scope which VirtualServices may bind to it.
 */
export function checkGatewayHost(scope: IConstruct, field: string, value: string): string {
  const [namespace, host] = value.includes('/') ? value.split('/', 2) : [undefined, value];
  const namespaceOk = namespace === undefined || namespace === '.' || namespace === '*' || DNS_LABEL_RFC1123.test(namespace);
  if (!namespaceOk || !HOST.test(host)) {
    throw new MeshConfigError(scope, field, `"${value}" is not a host Istio accepts`,
      'use a lower-case DNS name, "*" or "*.domain", optionally prefixed by "<namespace>/"');
  }
  return value;
}
