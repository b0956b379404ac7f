import { AdmissionRule, Json, Report, childPath, listAt, objectAt, objectsIn, stringsIn } from './rule';
import { PORT_FIX, checkLabelMap, checkPort } from './shared-checks';
import { isDnsLabel, isDnsSubdomain, isIanaSvcName } from '../core/dns';
import { isCidr, isPortNumber } from '../core/network';

/** The longest ClientIP session affinity the API server takes: a day. */
const MAX_AFFINITY_SECONDS = 86400;

/**
 * What the API server refuses in a Service: port numbers and target ports, port names (DNS-1123
 * labels, unique, required when there are several ports), one port number used twice for one
 * protocol, no ports (unless headless or ExternalName), selector labels; and fields its type does
 * not take: `nodePort` on a ClusterIP Service, `clusterIP: None` on a NodePort or LoadBalancer,
 * `externalTrafficPolicy` off NodePort and LoadBalancer (and ClusterIP with externalIPs),
 * `loadBalancerSourceRanges` (CIDR blocks) and `allocateLoadBalancerNodePorts` off LoadBalancer,
 * `healthCheckNodePort` off LoadBalancer with the Local policy, an ExternalName Service without a
 * DNS `externalName` or with a cluster IP, ClientIP affinity beyond a day.
 */
export const serviceRules: AdmissionRule = {
  kinds: ['/Service'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkLabelMap(spec.selector, 'spec.selector', report);
    checkTypeFields(spec, report);
    const ports = objectsIn(spec.ports, 'spec.ports');
    const type = spec.type ?? 'ClusterIP';
    if (listAt(spec.ports).length === 0 && spec.clusterIP !== 'None' && type !== 'ExternalName') {
      report('spec.ports', 'the Service has no ports', 'list the ports it serves, or make it headless (clusterIP: None)');
    }
    const numbers = new Set<string>();
    const names = new Set<string>();
    for (const [port, path] of ports) {
      if (type === 'ClusterIP' && port.nodePort !== undefined && port.nodePort !== 0) {
        report(childPath(path, 'nodePort'), 'nodePort is set on a ClusterIP Service',
          'remove nodePort, or use type NodePort or LoadBalancer');
      }
      const key = `${String(port.port)}/${String(port.protocol ?? 'TCP')}`;
      if (numbers.has(key)) report(childPath(path, 'port'), `port ${key} is listed twice`, 'list each port and protocol once');
      numbers.add(key);
      checkPort(port.port, childPath(path, 'port'), report);
      if (port.nodePort !== undefined && port.nodePort !== 0) checkPort(port.nodePort, childPath(path, 'nodePort'), report);
      const target = port.targetPort; // 0 and "" are defaulted to the port
      const badTarget = typeof target === 'string' ? target !== '' && !isIanaSvcName(target)
        : target !== undefined && target !== 0 && !isPortNumber(target);
      if (badTarget) {
        report(childPath(path, 'targetPort'), `${JSON.stringify(target)} is neither a port number nor a port name`,
          `${PORT_FIX}, or the name of a container port (at most 15 lower-case letters, digits and "-")`);
      }
      const namePath = childPath(path, 'name');
      if (typeof port.name !== 'string' || port.name === '') {
        if (ports.length > 1) {
          report(namePath, 'a Service with several ports needs a name on each',
            'name every port, e.g. "http" or "grpc-api"');
        }
        continue;
      }
      if (!isDnsLabel(port.name)) {
        report(namePath, `port name ${JSON.stringify(port.name)} is not a DNS-1123 label`,
          'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');
      }
      if (names.has(port.name)) report(namePath, `port name "${port.name}" is used twice`, 'give each port its own name');
      names.add(port.name);
    }
  },
};

/** Fields only some Service types take. */
function checkTypeFields(spec: Json, report: Report): void {
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const nodePorts = type === 'NodePort' || type === 'LoadBalancer';
  if (nodePorts && spec.clusterIP === 'None') {
    report('spec.clusterIP', `a ${type} Service cannot be headless (clusterIP: None)`, 'remove clusterIP, or use type ClusterIP');
  }
  // externally reachable: by node ports, or a ClusterIP Service's externalIPs
  const external = nodePorts || (type === 'ClusterIP' && listAt(spec.externalIPs).length > 0);
  if (!external && spec.externalTrafficPolicy !== undefined) {
    report('spec.externalTrafficPolicy', `externalTrafficPolicy is set on a ${type} Service`,
      'remove it: it applies to NodePort and LoadBalancer Services (and ClusterIP ones with externalIPs) only');
  }
  for (const field of ['loadBalancerSourceRanges', 'allocateLoadBalancerNodePorts'] as const) {
    if (type !== 'LoadBalancer' && spec[field] !== undefined && !(Array.isArray(spec[field]) && spec[field].length === 0)) {
      report(`spec.${field}`, `${field} is set on a ${type} Service`, 'remove it, or use type LoadBalancer');
    }
  }
  for (const [range, path] of stringsIn(spec.loadBalancerSourceRanges, 'spec.loadBalancerSourceRanges')) {
    if (!isCidr(range.trim())) report(path, `"${range}" is not a CIDR block`, 'write a CIDR block such as "203.0.113.0/24"');
  }
  if (spec.healthCheckNodePort !== undefined && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')) {
    report('spec.healthCheckNodePort', 'healthCheckNodePort is set without type LoadBalancer and externalTrafficPolicy: Local',
      'remove it (Kubernetes allocates one for a LoadBalancer Service with externalTrafficPolicy: Local)');
  }
  if (type === 'ExternalName') checkExternalName(spec, report);
  const timeout = objectAt(objectAt(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
  // (without ClientIP affinity the API server drops sessionAffinityConfig)
  if (spec.sessionAffinity === 'ClientIP' && typeof timeout === 'number' && (timeout < 1 || timeout > MAX_AFFINITY_SECONDS)) {
    report('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `${timeout} s is outside 1 to ${MAX_AFFINITY_SECONDS} s`,
      `use 1 to ${MAX_AFFINITY_SECONDS} seconds (a day)`);
  }
}

/** An ExternalName Service: a DNS name (one trailing dot allowed), and no cluster IP. */
function checkExternalName(spec: Json, report: Report): void {
  const name = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
  if (name === '' || !isDnsSubdomain(name)) {
    report('spec.externalName', name === '' ? 'an ExternalName Service has no externalName'
      : `"${String(spec.externalName)}" is not a DNS name`, 'set externalName to the DNS name it stands for, such as "db.example.com"');
  }
  if (spec.clusterIP !== undefined && spec.clusterIP !== '') {
    report('spec.clusterIP', 'an ExternalName Service has no cluster IP', 'remove clusterIP');
  }
}
