import { checkScopedHost } from './gateway-rules';
import { AdmissionRule, childPath, objectAt, objectsIn, stringsIn } from './rule';
import { checkPort, checkWorkloadSelectorLabels } from './shared-checks';
import { isIpAddress } from '../core/network';

/**
 * What Istio's webhook refuses in a Sidecar: egress hosts without a namespace part, ports, bind
 * addresses, selector wildcards (ValidateSidecar).
 */
export const sidecarRules: AdmissionRule = {
  kinds: ['networking.istio.io/Sidecar'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    checkWorkloadSelectorLabels(objectAt(spec.workloadSelector)?.labels, 'spec.workloadSelector.labels', report);
    for (const list of ['ingress', 'egress']) {
      for (const [listener, path] of objectsIn(spec[list], childPath('spec', list))) {
        const port = objectAt(listener.port);
        const bind = typeof listener.bind === 'string' ? listener.bind : '';
        if (port !== undefined && !(list === 'egress' && port.number === 0 && bind.startsWith('unix://'))) {
          checkPort(port.number, childPath(childPath(path, 'port'), 'number'), report);
        }
        if (bind !== '' && !bind.startsWith('unix://') && !isIpAddress(bind)) {
          report(childPath(path, 'bind'), `${JSON.stringify(bind)} is not an IP address`,
            'bind to an IP address, a unix:// socket, or leave bind unset');
        }
        for (const [host, hostPath] of stringsIn(listener.hosts, childPath(path, 'hosts'))) checkScopedHost(host, hostPath, report, true);
      }
    }
  },
};
