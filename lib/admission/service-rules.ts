import { AdmissionRule, childPath, objectAt, objectsIn } from './rule';
import { PORT_FIX, checkLabelMap, checkPort } from './shared-checks';
import { isDnsLabel, isIanaSvcName } from '../core/dns';
import { isPortNumber } from '../core/network';

/**
 * What the API server refuses in a Service: port numbers and target ports, port names (DNS-1123
 * labels, unique, required when there are several ports), selector labels.
 */
export const serviceRules: AdmissionRule = {
  kinds: ['/Service'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkLabelMap(spec.selector, 'spec.selector', report);
    const ports = objectsIn(spec.ports, 'spec.ports');
    const names = new Set<string>();
    for (const [port, path] of ports) {
      checkPort(port.port, childPath(path, 'port'), report);
      if (port.nodePort !== undefined && port.nodePort !== 0) checkPort(port.nodePort, childPath(path, 'nodePort'), report);
      const target = port.targetPort;
      if (typeof target === 'string' ? !isIanaSvcName(target) : target !== undefined && !isPortNumber(target)) {
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
