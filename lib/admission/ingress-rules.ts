import { AdmissionRule, Json, Report, childPath, listAt, objectAt, objectsIn, stringsIn } from './rule';
import { checkPort } from './shared-checks';
import { isDns1035Label, isDnsSubdomain, isIanaSvcName } from '../core/dns';
import { isIpAddress } from '../core/network';

/** What a Prefix or Exact path may not contain, or end with (the API server's list). */
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_ENDINGS = ['/..', '/.'];

const HOST_FIX = 'use a DNS name such as "shop.example.com", or a wildcard such as "*.example.com"';

/**
 * What the API server refuses in a networking.k8s.io/v1 Ingress beyond its schema: neither rules
 * nor a default backend; hosts that are IP addresses or not DNS names (a wildcard only as the
 * first label); an http rule without paths; paths that are not absolute or that hold `//`, `/./`,
 * `/../` or an encoded slash (Prefix and Exact); backends naming both a Service and a resource, a
 * Service port by both name and number or by neither, a Service name that is not a DNS-1035 label;
 * an ingressClassName that is not an object name.
 */
export const ingressRules: AdmissionRule = {
  kinds: ['networking.k8s.io/Ingress'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    if (listAt(spec.rules).length === 0 && spec.defaultBackend === undefined) {
      report('spec', 'the Ingress has neither rules nor a defaultBackend, so it routes nothing',
        'add rules (host and paths to a Service), or a defaultBackend');
    }
    if (typeof spec.ingressClassName === 'string' && !isDnsSubdomain(spec.ingressClassName)) {
      report('spec.ingressClassName', `"${spec.ingressClassName}" is not an IngressClass name`,
        'use the IngressClass\'s name, such as "istio"');
    }
    const defaultBackend = objectAt(spec.defaultBackend);
    if (defaultBackend !== undefined) checkBackend(defaultBackend, 'spec.defaultBackend', report);
    for (const [rule, path] of objectsIn(spec.rules, 'spec.rules')) checkRule(rule, path, report);
    for (const [tls, path] of objectsIn(spec.tls, 'spec.tls')) {
      // a TLS host may be an IP address
      for (const [host, at] of stringsIn(tls.hosts, childPath(path, 'hosts'))) {
        if (!isIpAddress(host)) checkHost(host, at, report);
      }
      if (typeof tls.secretName === 'string' && tls.secretName !== '' && !isDnsSubdomain(tls.secretName)) {
        report(childPath(path, 'secretName'), `"${tls.secretName}" is not a Secret name`,
          'name the TLS Secret: lower-case letters, digits, "-" and "."');
      }
    }
  },
};

function checkRule(rule: Json, path: string, report: Report): void {
  if (typeof rule.host === 'string' && rule.host !== '') checkHost(rule.host, childPath(path, 'host'), report);
  const http = objectAt(rule.http);
  if (http === undefined) return;
  const paths = objectsIn(http.paths, ['http', 'paths'].reduce(childPath, path));
  if (paths.length === 0) {
    report(['http', 'paths'].reduce(childPath, path), 'the http rule has no paths',
      'add a path, such as { path: "/", pathType: "Prefix", backend: ... }');
  }
  for (const [entry, at] of paths) {
    if (typeof entry.path === 'string' || entry.path === undefined) {
      checkPath(entry.path ?? '', entry.pathType, childPath(at, 'path'), report);
    }
    const backend = objectAt(entry.backend);
    if (backend !== undefined) checkBackend(backend, childPath(at, 'backend'), report);
  }
}

function checkHost(host: string, path: string, report: Report): void {
  if (isIpAddress(host)) {
    report(path, `"${host}" is an IP address, and an Ingress host must be a DNS name`, HOST_FIX);
  } else if (host.length > 253 || !isDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host)) {
    report(path, `"${host}" is not a DNS name (a wildcard is allowed only as the first label, "*.")`, HOST_FIX);
  }
}

function checkPath(value: string, pathType: unknown, path: string, report: Report): void {
  const strict = pathType === 'Prefix' || pathType === 'Exact'; // ImplementationSpecific may be empty
  if ((value !== '' || strict) && !value.startsWith('/')) {
    report(path, `"${value}" is not an absolute path`, `start it with "/" ("/${value}")`);
    return;
  }
  if (!strict) return;
  const sequence = BAD_SEQUENCES.find(s => value.includes(s));
  const ending = BAD_ENDINGS.find(s => value.endsWith(s));
  if (sequence !== undefined || ending !== undefined) {
    const what = sequence !== undefined ? `contain "${sequence}"` : `end with "${ending}"`;
    report(path, `${pathType === 'Exact' ? 'an' : 'a'} ${pathType} path may not ${what}`,
      'write the path without empty, "." or ".." segments or encoded slashes');
  }
}

function checkBackend(backend: Json, path: string, report: Report): void {
  const service = objectAt(backend.service);
  if (service !== undefined && backend.resource !== undefined) {
    report(childPath(path, 'resource'), 'the backend names both a Service and a resource', 'keep one of them');
  } else if (service === undefined && backend.resource === undefined) {
    report(path, 'the backend names neither a Service nor a resource', 'set service: { name, port: { number } }');
  }
  if (service === undefined) return;
  if (typeof service.name === 'string' && !isDns1035Label(service.name)) {
    report(['service', 'name'].reduce(childPath, path), `"${service.name}" is not a Service name`,
      'use the Service\'s name: lower-case letters, digits and "-", starting with a letter');
  }
  const port = objectAt(service.port);
  const portPath = ['service', 'port'].reduce(childPath, path);
  // a number of 0 and an empty name are unset
  const hasName = port?.name !== undefined && port.name !== '';
  const hasNumber = port?.number !== undefined && port.number !== 0;
  if (!hasName && !hasNumber) {
    report(portPath, 'the backend does not say which port of the Service', 'set port.number (8080) or port.name ("http")');
  } else if (hasName && hasNumber) {
    report(portPath, 'the backend names its Service port by both name and number', 'keep one of them');
  } else if (hasName && typeof port!.name === 'string' && !isIanaSvcName(port!.name)) {
    report(childPath(portPath, 'name'), `"${port.name}" is not a port name`,
      'use the name of a port of the Service (at most 15 lower-case letters, digits and "-")');
  } else if (hasNumber) {
    checkPort(port!.number, childPath(portPath, 'number'), report);
  }
}
