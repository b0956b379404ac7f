import { AdmissionRule, Json, Report, childPath, entriesOf, objectAt, objectsIn, stringsIn } from './rule';
import { PORT_FIX, checkPolicyTargets, checkWorkloadSelectorLabels } from './shared-checks';
import { isIpOrCidr, isPortNumber } from '../core/network';
import { isNamespaceMatch, isPrincipal } from '../core/principals';

const PRINCIPAL_FIX = 'use "<trust-domain>/ns/<namespace>/sa/<service account>" (e.g. "cluster.local/ns/shop/sa/orders"), "*", '
  + 'or one "*" at either end';

/**
 * What Istio's webhook refuses (or what can match no workload) in AuthorizationPolicy sources and
 * operations: principals not of the form `<trust-domain>/ns/<ns>/sa/<sa>`, namespaces that are not
 * names or `*`-wildcards, IP blocks, operation ports, empty condition keys, selector wildcards.
 */
export const authorizationPolicyRules: AdmissionRule = {
  kinds: ['security.istio.io/AuthorizationPolicy'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(objectAt(spec.selector)?.matchLabels, 'spec.selector.matchLabels', report);
    checkPolicyTargets(spec, report);
    for (const [rule, path] of objectsIn(spec.rules, 'spec.rules')) {
      for (const [from, fromPath] of objectsIn(rule.from, childPath(path, 'from'))) {
        const source = objectAt(from.source);
        if (source !== undefined) checkSource(source, childPath(fromPath, 'source'), report);
        if (source !== undefined) checkNoEmptyValues(source, childPath(fromPath, 'source'), report);
      }
      for (const [to, toPath] of objectsIn(rule.to, childPath(path, 'to'))) {
        const operation = objectAt(to.operation);
        if (operation === undefined) continue;
        checkNoEmptyValues(operation, childPath(toPath, 'operation'), report);
        for (const field of ['paths', 'notPaths']) {
          for (const [value, valuePath] of stringsIn(operation[field], childPath(childPath(toPath, 'operation'), field))) {
            const problem = pathTemplateProblem(value);
            if (problem) report(valuePath, problem, PATH_TEMPLATE_FIX);
          }
        }
        for (const field of ['ports', 'notPorts']) {
          for (const [port, portPath] of stringsIn(operation[field], childPath(childPath(toPath, 'operation'), field))) {
            if (!/^\d+$/.test(port) || !isPortNumber(Number(port))) {
              report(portPath, `${JSON.stringify(port)} is not a port number`,
                PORT_FIX);
            }
          }
        }
      }
      for (const [condition, conditionPath] of objectsIn(rule.when, childPath(path, 'when'))) {
        if (condition.key === '') {
          report(childPath(conditionPath, 'key'), 'the condition key is empty',
            'name an attribute such as "request.headers[x-env]" or "source.ip"');
        } else if (typeof condition.key === 'string') {
          checkCondition(condition.key, condition, conditionPath, report);
        }
      }
    }
  },
};

const PATH_TEMPLATE_FIX = 'use {*} for one whole path segment and {**} for the rest of the path, e.g. "/api/{*}/orders"';

/**
 * The condition attributes Istio's webhook knows (`when[].key`), besides `request.headers[…]`,
 * `request.auth.claims[…]` and `experimental.envoy.filters.…`.
 */
const CONDITION_KEYS = new Set(['source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'request.auth.principal',
  'request.auth.audiences', 'request.auth.presenter', 'destination.ip', 'destination.port', 'connection.sni']);

/** A `when` condition: a known attribute, and values of the attribute's kind (IPs, ports), none empty. */
function checkCondition(key: string, condition: Json, path: string, report: Report): void {
  const mapKey = /^(request\.headers|request\.auth\.claims)\[(.*)\]$/.exec(key);
  if (mapKey !== null ? mapKey[2] === '' : !CONDITION_KEYS.has(key) && !key.startsWith('experimental.envoy.filters.')) {
    report(childPath(path, 'key'), `${JSON.stringify(key)} is not an attribute an AuthorizationPolicy condition can test`,
      `use request.headers[<name>], request.auth.claims[<claim>] or one of ${[...CONDITION_KEYS].join(', ')}`);
    return;
  }
  for (const field of ['values', 'notValues']) {
    for (const [value, valuePath] of stringsIn(condition[field], childPath(path, field))) {
      if (value === '') {
        report(valuePath, 'an empty value matches nothing (Istio refuses it)', 'remove the empty entry');
      } else if (/^(source|remote|destination)\.ip$/.test(key) && !isIpOrCidr(value)) {
        report(valuePath, `${JSON.stringify(value)} is not an IP address or CIDR block`, 'use e.g. "10.0.0.7" or "10.0.0.0/16"');
      } else if (key === 'destination.port' && !(/^\d+$/.test(value) && isPortNumber(Number(value)))) {
        report(valuePath, `${JSON.stringify(value)} is not a port number`, PORT_FIX);
      }
    }
  }
}

/** Istio refuses an empty string in any list of a source or operation ("empty value not allowed"). */
function checkNoEmptyValues(match: Json, path: string, report: Report): void {
  for (const field of Object.keys(match)) {
    for (const [value, valuePath] of stringsIn(match[field], childPath(path, field))) {
      if (value === '') report(valuePath, 'an empty value matches nothing (Istio refuses it)', 'remove the empty entry');
    }
  }
}

/**
 * Why an operation path is not one Istio accepts, or undefined: braces only as path templates,
 * `{*}` or `{**}` as a whole segment, with `{**}` only as the last operator.
 */
function pathTemplateProblem(value: string): string | undefined {
  if (!/[{}]/.test(value)) return undefined;
  const segments = value.split('/');
  let seenMulti = false;
  for (const segment of segments) {
    if (!/[{}]/.test(segment)) continue;
    if ((segment !== '{*}' && segment !== '{**}') || seenMulti) {
      return `${JSON.stringify(value)} is not a valid path template (only whole segments {*} and {**}, {**} last)`;
    }
    seenMulti = segment === '{**}';
  }
  return undefined;
}

function checkSource(source: Json, path: string, report: Report): void {
  for (const field of ['principals', 'notPrincipals']) {
    for (const [principal, principalPath] of stringsIn(source[field], childPath(path, field))) {
      if (!isPrincipal(principal)) {
        report(principalPath, `principal ${JSON.stringify(principal)} matches no workload identity`,
          PRINCIPAL_FIX);
      }
    }
  }
  for (const field of ['namespaces', 'notNamespaces']) {
    for (const [namespace, namespacePath] of stringsIn(source[field], childPath(path, field))) {
      if (!isNamespaceMatch(namespace)) {
        report(namespacePath, `${JSON.stringify(namespace)} is not a namespace name or wildcard`,
          'use a namespace name (a DNS-1123 label), "*", or one "*" at either end');
      }
    }
  }
  for (const field of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']) {
    for (const [block, blockPath] of stringsIn(source[field], childPath(path, field))) {
      if (!isIpOrCidr(block)) {
        report(blockPath, `${JSON.stringify(block)} is not an IP address or CIDR block`,
          'use e.g. "10.0.0.7" or "10.0.0.0/16"');
      }
    }
  }
}

/** What Istio's webhook refuses in a PeerAuthentication: port-level mTLS on ports outside 1–65535, or without a selector. */
export const peerAuthenticationRules: AdmissionRule = {
  kinds: ['security.istio.io/PeerAuthentication'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    const matchLabels = objectAt(spec.selector)?.matchLabels;
    checkWorkloadSelectorLabels(matchLabels, 'spec.selector.matchLabels', report);
    const ports = entriesOf(spec.portLevelMtls, 'spec.portLevelMtls');
    for (const [port, , portPath] of ports) {
      if (!/^\d+$/.test(port) || !isPortNumber(Number(port))) report(portPath, `${JSON.stringify(port)} is not a port number`, PORT_FIX);
    }
    if (ports.length > 0 && Object.keys(objectAt(matchLabels) ?? {}).length === 0) {
      report('spec.portLevelMtls', 'a mesh- or namespace-wide PeerAuthentication cannot set port-level mTLS',
        'add a selector for the workloads whose ports it sets');
    }
  },
};

/** What Istio's webhook refuses in a RequestAuthentication: empty token locations and claim-to-header names that are not header names. */
export const requestAuthenticationRules: AdmissionRule = {
  kinds: ['security.istio.io/RequestAuthentication'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(objectAt(spec.selector)?.matchLabels, 'spec.selector.matchLabels', report);
    checkPolicyTargets(spec, report);
    for (const [rule, path] of objectsIn(spec.jwtRules, 'spec.jwtRules')) {
      for (const [location, locationPath] of objectsIn(rule.fromHeaders, childPath(path, 'fromHeaders'))) {
        if (location.name === '') {
          report(childPath(locationPath, 'name'), 'the header name is empty',
            'name the header that carries the token, e.g. "Authorization"');
        }
      }
      for (const field of ['fromParams', 'fromCookies']) {
        for (const [name, namePath] of stringsIn(rule[field], childPath(path, field))) {
          if (name === '') {
            report(namePath, `the ${field === 'fromParams' ? 'query parameter' : 'cookie'} name is empty`,
              'name where the token is, or remove the entry');
          }
        }
      }
      for (const [output, outputPath] of objectsIn(rule.outputClaimToHeaders, childPath(path, 'outputClaimToHeaders'))) {
        if (typeof output.header === 'string' && !/^[-A-Za-z0-9]+$/.test(output.header)) {
          report(childPath(outputPath, 'header'), `${JSON.stringify(output.header)} is not a header name Istio accepts here`,
            'use letters, digits and "-", e.g. "x-jwt-sub"');
        }
      }
    }
  },
};
