import { IConstruct } from 'constructs';
import { MeshConfigError } from './errors';

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
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
