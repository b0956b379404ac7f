import { AdmissionRule, Report, childPath, entriesOf, objectAt, objectsIn, stringsIn } from './rule';
import { checkExportTo, checkIstioHost, checkLabelMap, checkPort, checkWorkloadSelectorLabels } from './shared-checks';
import { isIstioDnsLabel, isIstioFqdn } from '../core/dns';
import { isIpAddress, isIpOrCidr } from '../core/network';

const ADDRESS_FIX = 'use an IP address such as "10.0.0.7" or a CIDR block such as "10.0.0.0/24"';

/**
 * What Istio's webhook refuses in a ServiceEntry beyond its CRD schema: hosts (no `*`, no scheme),
 * addresses (IPs or CIDRs, CIDRs only for NONE/STATIC), ports (numbers, DNS-label names, no
 * duplicates), endpoints per resolution, exportTo (ValidateServiceEntry).
 */
export const serviceEntryRules: AdmissionRule = {
  kinds: ['networking.istio.io/ServiceEntry'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    const resolution = typeof spec.resolution === 'string' ? spec.resolution : 'NONE';
    const hosts = stringsIn(spec.hosts, 'spec.hosts');
    for (const [host, path] of hosts) {
      if (host === '*') {
        report(path, 'the host "*" is not allowed in a ServiceEntry',
          'name the hosts, or use a wildcard domain such as "*.example.com"');
      } else {
        checkIstioHost(host, path, report);
      }
    }
    for (const [address, path] of stringsIn(spec.addresses, 'spec.addresses')) {
      if (!isIpOrCidr(address)) {
        report(path, `${JSON.stringify(address)} is not an IP address or CIDR block`, ADDRESS_FIX);
      } else if (address.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
        report(path, `CIDR address ${address} is only allowed with resolution NONE or STATIC`,
          'use single IP addresses, or change the resolution');
      }
    }
    const portNames = new Set<string>();
    const portNumbers = new Set<unknown>();
    for (const [port, path] of objectsIn(spec.ports, 'spec.ports')) {
      checkPort(port.number, childPath(path, 'number'), report);
      if (port.targetPort !== undefined && port.targetPort !== 0) checkPort(port.targetPort, childPath(path, 'targetPort'), report);
      if (portNumbers.has(port.number)) {
        report(childPath(path, 'number'), `port ${JSON.stringify(port.number)} is listed twice`,
          'list each port number once');
      }
      portNumbers.add(port.number);
      if (typeof port.name !== 'string') continue;
      if (!isIstioDnsLabel(port.name)) {
        report(childPath(path, 'name'), `port name ${JSON.stringify(port.name)} is not a DNS-1123 label`,
          'use letters, digits and "-", e.g. "https"');
      }
      if (portNames.has(port.name)) {
        report(childPath(path, 'name'), `port name "${port.name}" is already used`,
          'give each port its own name');
      }
      portNames.add(port.name);
    }
    const endpoints = objectsIn(spec.endpoints, 'spec.endpoints');
    if (resolution === 'NONE' && endpoints.length > 0) {
      report('spec.endpoints', 'resolution NONE forwards to the original destination and takes no endpoints',
        'remove the endpoints, or use resolution STATIC or DNS');
    }
    if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
      report('spec.endpoints', 'resolution DNS_ROUND_ROBIN takes at most one endpoint', 'use resolution DNS for several endpoints');
    }
    if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && endpoints.length === 0) {
      for (const [host, path] of hosts) {
        if (host !== '*' && !isIstioFqdn(host)) {
          report(path, `host ${JSON.stringify(host)} must be a plain DNS name for resolution ${resolution} without endpoints`,
            'name the host exactly, or add endpoints');
        }
      }
    }
    for (const [endpoint, path] of endpoints) {
      const address = endpoint.address;
      if (typeof address === 'string') checkEndpointAddress(address, resolution, childPath(path, 'address'), report);
      checkLabelMap(endpoint.labels, childPath(path, 'labels'), report);
      for (const [name, number, portPath] of entriesOf(endpoint.ports, childPath(path, 'ports'))) {
        if (!portNames.has(name)) {
          report(portPath, `the ServiceEntry has no port named "${name}"`,
            `name one of spec.ports "${name}", or use one of its port names`);
        }
        checkPort(number, portPath, report);
      }
    }
    checkWorkloadSelectorLabels(objectAt(spec.workloadSelector)?.labels, 'spec.workloadSelector.labels', report);
    checkExportTo(spec.exportTo, 'spec.exportTo', report, true);
  },
};

function checkEndpointAddress(address: string, resolution: string, path: string, report: Report): void {
  if (address.startsWith('unix://') && (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN')) {
    report(path, `${JSON.stringify(address)} is a socket, and resolution ${resolution} needs an IP address or a DNS name`,
      'use resolution STATIC for unix:// endpoints, or give a host name');
    return;
  }
  if (address.startsWith('unix://')) {
    const socket = address.slice('unix://'.length);
    if (socket === '' || (!socket.startsWith('@') && (!socket.startsWith('/') || socket.endsWith('/')))) {
      report(path, `${JSON.stringify(address)} is not an absolute socket path`, 'use unix:///absolute/path or unix://@abstract-name');
    }
    return;
  }
  if (isIpAddress(address)) return;
  if (resolution === 'STATIC') {
    report(path, `${JSON.stringify(address)} is not an IP address, which resolution STATIC needs`,
      'use an IP address, or resolution DNS for host names');
  } else if (resolution !== 'NONE' && !isIstioFqdn(address)) {
    report(path, `${JSON.stringify(address)} is neither an IP address nor a DNS name`,
      'use an IP address or a host name such as "db1.example.com"');
  }
}
