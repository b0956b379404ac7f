import { isIP, isIPv6 } from 'net';
import { celFunc, celMethod, CelScalar, objectType } from '@bufbuild/cel';
import type { CelFunc } from '@bufbuild/cel';
import { create, createFileRegistry } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';

/**
 * The CEL value `url()` returns: a message type of our own, since @bufbuild/cel dispatches methods
 * on object values by their protobuf descriptor. Only the field the CRD rules read is declared.
 */
const URL_MESSAGE = createFileRegistry(create(FileDescriptorProtoSchema, {
  name: 'kubernetes/url.proto',
  package: 'kubernetes',
  syntax: 'proto3',
  messageType: [{
    name: 'URL',
    field: [
      { name: 'scheme', jsonName: 'scheme', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
    ],
  }],
}), () => undefined).getMessage('kubernetes.URL')!;

const URL_TYPE = objectType(URL_MESSAGE);

/**
 * The Kubernetes CEL library functions the Istio and Gateway API CRD rules use that @bufbuild/cel
 * lacks, from the Kubernetes URL and IP libraries (k8s.io/apiserver/pkg/cel/library/urls.go, ip.go):
 *
 * - `isURL(string) -> bool`: whether the string is an absolute URI or an absolute path;
 * - `url(string) -> URL`: the parsed URL, an evaluation error when `isURL` is false;
 * - `URL.getScheme() -> string`: the scheme, lower-cased, empty for an absolute path;
 * - `isIP(string) -> bool`: whether the string is an IPv4 or IPv6 address, without a zone and not
 *   an IPv4-mapped IPv6 address (which Kubernetes refuses), IPv4 without leading zeros.
 *
 * Everything else the rules use is standard CEL or the strings extension (`substring`, `split`),
 * both in @bufbuild/cel. Not implemented: the rest of the URL library (`getHost`, `getHostname`,
 * `getPort`, `getEscapedPath`, `getQuery`), of the IP library (`ip()`, `family`, ...) and the
 * Kubernetes regex, lists, quantity and CIDR libraries, which no rule of these CRDs uses.
 */
export const KUBERNETES_CEL_FUNCTIONS: readonly CelFunc[] = [
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => typeof parseRequestUri(s) !== 'string'),
  celFunc('url', [CelScalar.STRING], URL_TYPE, (s) => {
    const parsed = parseRequestUri(s);
    if (typeof parsed === 'string') throw new Error(`URL parse error during conversion from string: ${parsed}`);
    return reflect(URL_MESSAGE, create(URL_MESSAGE, parsed));
  }),
  celMethod('getScheme', URL_TYPE, [], CelScalar.STRING, function getScheme() {
    return String(this.get(URL_MESSAGE.field.scheme));
  }),
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => isIP(s) !== 0 && !s.includes('%') && !(isIPv6(s) && isIPv4Mapped(s))),
];

/** Whether an IPv6 address is IPv4-mapped (`::ffff:a.b.c.d`, in any of its spellings): its first 80 bits 0, the next 16 bits 1. */
function isIPv4Mapped(address: string): boolean {
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = dotted
    ? `${dotted[1]}${(+dotted[2] * 256 + +dotted[3]).toString(16)}:${(+dotted[4] * 256 + +dotted[5]).toString(16)}`
    : address;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.slice(0, 5).every(g => parseInt(g, 16) === 0) && parseInt(groups[5], 16) === 0xffff;
}

/**
 * Go's `net/url.ParseRequestURI`, which Kubernetes' `isURL` and `url` use, reduced to what decides
 * whether a string parses and what its scheme is. Returns the reason as a string when it does not.
 */
function parseRequestUri(raw: string): { scheme: string } | string {
  if (/[\x00-\x1f\x7f]/.test(raw)) return 'invalid control character in URL';
  if (raw === '') return 'empty url';
  if (raw === '*') return { scheme: '' };
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw);
  if (raw.startsWith(':')) return 'missing protocol scheme';
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : '';
  let rest = schemeMatch ? raw.slice(schemeMatch[0].length) : raw;
  rest = rest.endsWith('?') && rest.indexOf('?') === rest.length - 1 ? rest.slice(0, -1) : rest.split('?')[0];
  if (!rest.startsWith('/')) {
    // `scheme:opaque` (such as `mailto:a@b`) parses; a relative reference does not.
    return scheme === '' ? 'invalid URI for request' : { scheme };
  }
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    const problem = authorityProblem(authority);
    if (problem !== undefined) return problem;
  }
  return badEscape(rest) ? `invalid URL escape in path ${JSON.stringify(rest)}` : { scheme };
}

function authorityProblem(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const host = authority.slice(at + 1);
  if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) return 'invalid userinfo';
  let port: string;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return 'missing \']\' in host';
    port = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    port = colon < 0 ? '' : host.slice(colon);
  }
  if (port !== '' && !/^:\d*$/.test(port)) return `invalid port ${JSON.stringify(port)} after host`;
  const hostName = host.startsWith('[') ? '' : host.slice(0, host.length - port.length);
  if (badEscape(hostName) || /[^A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%\u0080-\uffff]/.test(hostName)) {
    return `invalid character in host name ${JSON.stringify(hostName)}`;
  }
  return undefined;
}

/** A `%` not followed by two hex digits. */
function badEscape(s: string): boolean {
  return /%(?![0-9A-Fa-f]{2})/.test(s);
}
