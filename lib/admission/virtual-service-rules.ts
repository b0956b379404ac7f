import { AdmissionRule, Json, Report, childPath, entriesOf, objectAt, objectsIn, stringsIn } from './rule';
import {
  checkDestination, checkGatewayReference, checkIstioHost, checkLabelMap, checkPort, checkRegex, checkStringMatch,
} from './shared-checks';
import { isDnsLabel } from '../core/dns';
import { hostMatches } from '../core/hosts';
import {
  AuthorityHeaders, CORS_METHODS, headerMatchNameProblem, headerOperationNameProblem, headerValueProblem, isHeaderToken,
} from '../core/http-headers';
import { isIpOrCidr } from '../core/network';
import { invalidRetryOn } from '../core/retry-on';
import { SECRET_HEADER_FIX, secretHeaderProblem } from '../core/secret-env-name';

/**
 * What Istio's webhook refuses in a VirtualService beyond its CRD schema: hosts, gateway
 * references, regexes that are not RE2, header names, retry policies, redirect codes, CORS
 * methods, destinations and ports (pkg/config/validation ValidateVirtualService).
 */
export const virtualServiceRules: AdmissionRule = {
  kinds: ['networking.istio.io/VirtualService'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    const gateways = stringsIn(spec.gateways, 'spec.gateways');
    gateways.forEach(([g, path]) => checkGatewayReference(g, path, report));
    const appliesToMesh = gateways.length === 0 || gateways.some(([g]) => g === 'mesh');
    const hosts = stringsIn(spec.hosts, 'spec.hosts');
    // Istio's host names match when equal or when one is a wildcard covering the other
    hosts.forEach(([host, path], i) => {
      const earlier = hosts.slice(0, i).find(([other]) => hostMatches(other, host) || hostMatches(host, other));
      if (earlier !== undefined) {
        report(path, `host ${JSON.stringify(host)} overlaps host ${JSON.stringify(earlier[0])} of the same VirtualService `
          + '(Istio refuses duplicate hosts)',
        'list each host once, and no host that a wildcard host of the same VirtualService already covers');
      }
    });
    for (const [host, path] of hosts) {
      if (host === '*' && appliesToMesh) {
        report(path, 'the wildcard host "*" is not allowed on a VirtualService that applies to the mesh',
          'name the hosts, or bind the VirtualService to gateways only');
      } else {
        checkIstioHost(host, path, report, true);
      }
    }
    for (const [route, path] of objectsIn(spec.http, 'spec.http')) checkHttpRoute(route, path, report);
    // Istio routes on JWT claims only where its gateways authenticate the request (jwt.ToRoutingClaim)
    if (!gateways.some(([g]) => g !== 'mesh')) {
      for (const [route, path] of objectsIn(spec.http, 'spec.http')) {
        for (const [match, matchPath] of objectsIn(route.match, childPath(path, 'match'))) {
          for (const field of ['headers', 'withoutHeaders']) {
            for (const [name, , entryPath] of entriesOf(match[field], childPath(matchPath, field))) {
              if (!/^@request\.auth\.claims[.[]/.test(name)) continue;
              report(entryPath, `JWT claim based routing (${JSON.stringify(name)}) works only on a VirtualService bound to gateways, `
                + 'and this one applies to the mesh', 'bind the VirtualService to the ingress gateway that authenticates the token');
            }
          }
        }
      }
    }
    for (const list of ['tcp', 'tls']) {
      for (const [route, path] of objectsIn(spec[list], childPath('spec', list))) {
        for (const [match, matchPath] of objectsIn(route.match, childPath(path, 'match'))) checkL4Match(match, matchPath, report);
        for (const [d, dPath] of objectsIn(route.route, childPath(path, 'route'))) {
          checkDestination(d.destination, childPath(dPath,
            'destination'), report);
        }
      }
    }
  },
};

function checkHttpRoute(route: Json, path: string, report: Report): void {
  for (const [match, matchPath] of objectsIn(route.match, childPath(path, 'match'))) checkHttpMatch(match, matchPath, report);
  checkHeaderOperations(route.headers, childPath(path, 'headers'), 'host-or-authority', report);
  for (const [d, dPath] of objectsIn(route.route, childPath(path, 'route'))) {
    checkDestination(d.destination, childPath(dPath, 'destination'), report);
    checkHeaderOperations(d.headers, childPath(dPath, 'headers'), 'host-or-authority', report);
  }
  checkDestination(route.mirror, childPath(path, 'mirror'), report);
  for (const [m, mPath] of objectsIn(route.mirrors, childPath(path, 'mirrors'))) {
    checkDestination(m.destination, childPath(mPath,
      'destination'), report);
  }
  checkRetries(objectAt(route.retries), childPath(path, 'retries'), report);
  checkRedirect(objectAt(route.redirect), childPath(path, 'redirect'), report);
  checkCors(objectAt(route.corsPolicy), childPath(path, 'corsPolicy'), report);
  const rewriteSpec = objectAt(route.rewrite);
  if (rewriteSpec !== undefined) {
    const given = (value: unknown) => typeof value === 'string' && value !== '';
    const regex = objectAt(rewriteSpec.uriRegexRewrite) !== undefined;
    if (!given(rewriteSpec.uri) && !regex && !given(rewriteSpec.authority)) {
      report(childPath(path, 'rewrite'), 'a rewrite needs a uri, a uriRegexRewrite or an authority (Istio refuses an empty one)',
        'give what to rewrite, or remove the rewrite');
    } else if (given(rewriteSpec.uri) && regex) {
      report(childPath(path, 'rewrite'), 'a rewrite takes uri or uriRegexRewrite, not both', 'keep one of them');
    }
  }
  const regexRewrite = objectAt(rewriteSpec?.uriRegexRewrite);
  if (regexRewrite !== undefined) {
    const rewritePath = childPath(childPath(path, 'rewrite'), 'uriRegexRewrite');
    const { match, rewrite } = regexRewrite;
    if (typeof match !== 'string' || typeof rewrite !== 'string' || match === '' || rewrite === '') {
      report(rewritePath, 'uriRegexRewrite needs both match and rewrite',
        'give the regex to match and the replacement, e.g. { match: "^/v1(/.*)", rewrite: "\\\\1" }');
    } else {
      checkRegex(match, childPath(rewritePath, 'match'), report);
    }
  }
}

function checkHttpMatch(match: Json, path: string, report: Report): void {
  checkStringMatch(match.uri, childPath(path, 'uri'), report, true);
  for (const field of ['scheme', 'method', 'authority']) checkStringMatch(match[field], childPath(path, field), report);
  for (const [, value, entryPath] of entriesOf(match.queryParams, childPath(path, 'queryParams'))) {
    checkStringMatch(value, entryPath,
      report);
  }
  for (const field of ['headers', 'withoutHeaders']) {
    for (const [name, value, entryPath] of entriesOf(match[field], childPath(path, field))) {
      const problem = headerMatchNameProblem(name);
      if (problem !== undefined) {
        report(entryPath, problem,
          'match on a header name made of letters, digits and "-" (RFC 7230 token characters)');
      }
      // `regex: "*"` in withoutHeaders is Istio's "header present" shorthand, not a regex.
      if (field === 'headers' || objectAt(value)?.regex !== '*') checkStringMatch(value, entryPath, report);
    }
  }
  if (match.port !== undefined && match.port !== 0) checkPort(match.port, childPath(path, 'port'), report);
  checkLabelMap(match.sourceLabels, childPath(path, 'sourceLabels'), report);
  stringsIn(match.gateways, childPath(path, 'gateways')).forEach(([g, gPath]) => checkGatewayReference(g, gPath, report));
  if (typeof match.sourceNamespace === 'string' && match.sourceNamespace !== '' && !isDnsLabel(match.sourceNamespace)) {
    report(childPath(path, 'sourceNamespace'), `${JSON.stringify(match.sourceNamespace)} is not a namespace name`,
      'use a namespace name (a DNS-1123 label)');
  }
}

function checkL4Match(match: Json, path: string, report: Report): void {
  if (match.port !== undefined && match.port !== 0) checkPort(match.port, childPath(path, 'port'), report);
  for (const [subnet, subnetPath] of stringsIn(match.destinationSubnets, childPath(path, 'destinationSubnets'))) {
    if (!isIpOrCidr(subnet)) {
      report(subnetPath, `${JSON.stringify(subnet)} is not an IP address or CIDR block`,
        'use e.g. "10.0.0.7" or "10.0.0.0/24"');
    }
  }
  for (const [sni, sniPath] of stringsIn(match.sniHosts, childPath(path, 'sniHosts'))) checkIstioHost(sni, sniPath, report, true);
  checkLabelMap(match.sourceLabels, childPath(path, 'sourceLabels'), report);
  stringsIn(match.gateways, childPath(path, 'gateways')).forEach(([g, gPath]) => checkGatewayReference(g, gPath, report));
}

/**
 * Header operations `{ request, response } × { set, add, remove }`; `authority` is what request
 * `set`/`add` may name (`host` and `:authority` on routes and their destinations).
 */
function checkHeaderOperations(value: unknown, path: string, authority: AuthorityHeaders, report: Report): void {
  for (const side of ['request', 'response']) {
    const ops = objectAt(objectAt(value)?.[side]);
    if (ops === undefined) continue;
    const sidePath = childPath(path, side);
    const fix = 'name a regular header (not Host or a ":" pseudo-header); to change the authority use rewrite.authority';
    for (const op of ['set', 'add']) {
      for (const [name, headerValue, entryPath] of entriesOf(ops[op], childPath(sidePath, op))) {
        const problem = headerOperationNameProblem(name, side === 'request' ? authority : 'none');
        if (problem !== undefined) report(entryPath, problem, fix);
        const valueProblem = typeof headerValue === 'string' ? headerValueProblem(headerValue) : undefined;
        if (valueProblem !== undefined) {
          report(entryPath, valueProblem,
            'write "%%" for a literal percent sign, keep Envoy operators as %NAME%, and no control characters');
        }
        const secret = typeof headerValue === 'string' ? secretHeaderProblem(name, headerValue) : undefined;
        if (secret !== undefined) report(entryPath, secret, SECRET_HEADER_FIX);
      }
    }
    for (const [name, entryPath] of stringsIn(ops.remove, childPath(sidePath, 'remove'))) {
      const problem = headerOperationNameProblem(name, 'none');
      if (problem !== undefined) report(entryPath, problem, fix);
    }
  }
}

function checkRetries(retries: Json | undefined, path: string, report: Report): void {
  if (retries === undefined) return;
  const attempts = retries.attempts ?? 0;
  if (typeof attempts === 'number' && attempts < 0) {
    report(childPath(path, 'attempts'), `${attempts} attempts is negative`,
      'use 0 (no retries) or more');
  }
  const retrySettings = retries.perTryTimeout !== undefined || (retries.retryOn !== undefined && retries.retryOn !== '')
    || retries.retryRemoteLocalities !== undefined;
  if (attempts === 0 && retrySettings) {
    report(childPath(path, 'attempts'), 'retries are disabled (attempts is 0) but retryOn, perTryTimeout or retryRemoteLocalities is set',
      'set attempts to 1 or more, or remove the other retry settings');
  }
  if (typeof retries.retryOn === 'string' && retries.retryOn !== '') {
    const bad = invalidRetryOn(retries.retryOn);
    if (bad.length > 0) {
      report(childPath(path, 'retryOn'),
        `${bad.map(b => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a retry condition' : 'are not retry conditions'} `
        + 'Istio accepts',
        'use comma-separated Envoy conditions without spaces (5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream, '
        + 'retriable-status-codes, cancelled, deadline-exceeded, unavailable, …) or HTTP status codes');
    }
  }
}

function checkRedirect(redirect: Json | undefined, path: string, report: Report): void {
  if (redirect === undefined) return;
  const code = redirect.redirectCode;
  if (typeof code === 'number' && code !== 0 && (code < 300 || code > 399)) {
    report(childPath(path, 'redirectCode'), `${code} is not a redirect status code`, 'use a 3xx code such as 301, 302, 307 or 308');
  }
  if (typeof redirect.scheme === 'string' && redirect.scheme !== '' && redirect.scheme !== 'http' && redirect.scheme !== 'https') {
    report(childPath(path, 'scheme'), `${JSON.stringify(redirect.scheme)} is not a redirect scheme`, 'use "http" or "https"');
  }
  if (typeof redirect.port === 'number' && redirect.port !== 0) checkPort(redirect.port, childPath(path, 'port'), report);
}

function checkCors(cors: Json | undefined, path: string, report: Report): void {
  if (cors === undefined) return;
  for (const [origin, originPath] of objectsIn(cors.allowOrigins, childPath(path, 'allowOrigins'))) {
    const value = origin.exact ?? origin.prefix ?? origin.regex;
    if (value === '') report(originPath, 'the origin match is empty', 'give the origin, e.g. { exact: "https://shop.example.com" }');
    else checkRegex(origin.regex, childPath(originPath, 'regex'), report);
  }
  for (const [method, methodPath] of stringsIn(cors.allowMethods, childPath(path, 'allowMethods'))) {
    if (!CORS_METHODS.has(method)) {
      report(methodPath, `${JSON.stringify(method)} is not an HTTP method Istio accepts`,
        'use GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *');
    }
  }
  for (const field of ['allowHeaders', 'exposeHeaders']) {
    for (const [name, namePath] of stringsIn(cors[field], childPath(path, field))) {
      if (name !== '*' && !isHeaderToken(name)) {
        report(namePath, name === '' ? 'the header name is empty' : `${JSON.stringify(name)} is not a valid HTTP header name`,
          'use a header name made of letters, digits and "-", or "*"');
      }
    }
  }
}

