import { AdmissionRule, Report, childPath, objectAt, objectsIn, stringsIn } from './rule';
import { checkPort, checkWorkloadSelectorLabels } from './shared-checks';
import { isIstioDnsLabel, isIstioWildcardDomain } from '../core/dns';
import { isIpAddress } from '../core/network';

/** The server port protocols Istio parses (case-insensitive; anything else is "unsupported"). */
const GATEWAY_PROTOCOLS = new Set([
  'HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY', 'TCP', 'TLS', 'UDP', 'MONGO', 'REDIS', 'MYSQL',
]);

/** The protocols whose servers must have TLS settings (Istio's `Instance.IsTLS`). */
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** The plain-text HTTP protocols (Istio's `Instance.IsHTTP`), whose servers may only redirect to HTTPS. */
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTP_PROXY']);

/**
 * What Istio's webhook refuses in an Istio Gateway beyond its CRD schema: a name with dots, server
 * hosts (`[namespace/]host`, FQDN or wildcard, no partial wildcards), ports (numbers, unique
 * names), TLS settings missing on an HTTPS or TLS server or present where they cannot apply, bind
 * addresses, selector wildcards (ValidateGateway, validateServer).
 */
export const gatewayRules: AdmissionRule = {
  kinds: ['networking.istio.io/Gateway'],
  check(doc, report) {
    const name = objectAt(doc.metadata)?.name;
    if (typeof name === 'string' && !isIstioDnsLabel(name)) {
      const why = name.includes('.') ? 'Istio refuses dots in gateway names'
        : name.length > 63 ? `it has ${name.length} characters` : 'Istio refuses it';
      report('metadata.name', `gateway name ${JSON.stringify(name)} is not a DNS-1123 label (${why})`,
        'use at most 63 lower-case letters, digits and "-", e.g. "shop-gateway"');
    }
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(spec.selector, 'spec.selector', report);
    const portNames = new Set<string>();
    for (const [server, path] of objectsIn(spec.servers, 'spec.servers')) {
      for (const [host, hostPath] of stringsIn(server.hosts, childPath(path, 'hosts'))) checkScopedHost(host, hostPath, report, false);
      const port = objectAt(server.port);
      const portPath = childPath(path, 'port');
      if (port === undefined) continue;
      const protocol = typeof port.protocol === 'string' ? port.protocol.toUpperCase() : undefined;
      if (protocol !== undefined && !GATEWAY_PROTOCOLS.has(protocol)) {
        report(childPath(portPath, 'protocol'), `${JSON.stringify(port.protocol)} is not a protocol Istio supports`,
          `use one of ${[...GATEWAY_PROTOCOLS].join(', ')}`);
      } else if (protocol !== undefined) {
        checkServerTls(server, protocol, childPath(path, 'tls'), report);
      }
      const bind = typeof server.bind === 'string' ? server.bind : '';
      if (!bind.startsWith('unix://')) checkPort(port.number, childPath(portPath, 'number'), report);
      if (typeof port.name === 'string') {
        if (port.name === '') {
          report(childPath(portPath, 'name'), 'the port name is empty', 'name the port, e.g. "http" or "https-443"');
        } else if (portNames.has(port.name)) {
          report(childPath(portPath, 'name'), `port name "${port.name}" is used by another server`,
            'give each server port its own name');
        }
        portNames.add(port.name);
      }
      if (bind !== '' && !bind.startsWith('unix://') && !isIpAddress(bind)) {
        report(childPath(path, 'bind'), `${JSON.stringify(bind)} is not an IP address`,
          'bind to an IP address such as "0.0.0.0", a unix:// socket, or leave bind unset');
      }
    }
  },
};

/**
 * A server's TLS settings against its port's protocol, as Istio's validateServer judges them: an
 * HTTPS or TLS server must have them; a plain-text HTTP server may have only a passthrough mode
 * without certificates (what `httpsRedirect: true` alone gives, the mode's default being
 * PASSTHROUGH); any other server none.
 */
function checkServerTls(server: Record<string, unknown>, protocol: string, path: string, report: Report): void {
  const tls = objectAt(server.tls);
  if (TLS_PROTOCOLS.has(protocol)) {
    if (server.tls === undefined || server.tls === null) {
      report(path, `the ${protocol} server has no TLS settings, which Istio refuses`,
        'add tls (e.g. {mode: SIMPLE, credentialName: "<TLS secret>"}, or {mode: PASSTHROUGH}), or make the port HTTP');
    }
    return;
  }
  if (tls === undefined) return;
  if (!HTTP_PROTOCOLS.has(protocol)) {
    report(path, `the ${protocol} server has TLS settings, which Istio refuses for a port that is neither HTTPS nor TLS`,
      'remove tls, or make the port HTTPS or TLS');
    return;
  }
  const mode = tls.mode ?? 'PASSTHROUGH';
  const certificates = ['caCertificates', 'privateKey', 'serverCertificate'].filter(k => typeof tls[k] === 'string' && tls[k] !== '');
  if ((mode !== 'PASSTHROUGH' && mode !== 'AUTO_PASSTHROUGH') || certificates.length > 0) {
    const what = certificates.length > 0 ? certificates.join(', ') : `mode ${String(mode)}`;
    report(path, `the plain-text ${protocol} server has TLS settings (${what}), which Istio refuses: such a server may only `
      + 'redirect to HTTPS', 'keep only tls: {httpsRedirect: true}, or make the port HTTPS');
  }
}

/**
 * A Gateway server host or Sidecar egress host: `[namespace/]host` where the namespace is `*`,
 * `.` (or `~` for a Sidecar) or a namespace name, and the host is `*`, an FQDN or `*.domain`
 * (IP addresses allowed on gateways). Sidecar hosts must have the namespace part.
 */
export function checkScopedHost(value: string, path: string, report: Report, sidecar: boolean): void {
  const slash = value.indexOf('/');
  const namespace = slash < 0 ? undefined : value.slice(0, slash);
  const host = slash < 0 ? value : value.slice(slash + 1);
  const fix = sidecar
    ? 'use "<namespace>/<host>", e.g. "./*", "istio-system/*" or "*/api.example.com"'
    : 'use an FQDN such as "shop.example.com", "*.example.com" or "*", optionally prefixed by "<namespace>/"';
  if (value.includes('://')) {
    report(path, `${JSON.stringify(value)} is not a host Istio accepts (a host has no scheme)`, fix);
    return;
  }
  if (namespace === undefined && sidecar) {
    report(path, `${JSON.stringify(value)} has no namespace part`, fix);
    return;
  }
  if (namespace !== undefined && namespace !== '*' && namespace !== '.' && !(sidecar && namespace === '~') && !isIstioDnsLabel(namespace)) {
    report(path, `${JSON.stringify(namespace)} is not a namespace, "*" or "."`, fix);
    return;
  }
  if (host === '*') return;
  if (!sidecar && isIpAddress(host)) return;
  if (!isIstioWildcardDomain(host) || (host.includes('*') && !host.startsWith('*.'))) {
    report(path, `${JSON.stringify(host)} is not a host Istio accepts`, fix);
  } else if (!host.includes('.')) {
    report(path, `short name ${JSON.stringify(host)} is not allowed here`,
      'use the fully qualified name, e.g. "reviews.shop.svc.cluster.local"');
  }
}
