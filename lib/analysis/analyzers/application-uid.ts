import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The user ID the sidecar runs as; traffic from it bypasses the proxy. */
const PROXY_UID = 1337;

/** IST0144: an application container or pod runs as UID 1337, which is reserved for the sidecar. */
export const applicationUid: Analyzer = {
  name: 'application-uid',
  codes: ['IST0144'],
  analyze(index, report) {
    for (const workload of index.allWorkloads()) {
      const base = workload.resource.kind === 'Pod' ? 'spec' : 'spec.template.spec';
      if (workload.podSpec.securityContext?.runAsUser === PROXY_UID) {
        report(workload.resource, msg.invalidApplicationUID(), `${base}.securityContext.runAsUser`);
      }
      list(workload.podSpec.containers).forEach((c, i) => {
        if (c.securityContext?.runAsUser !== PROXY_UID || c.name === 'istio-proxy') return;
        report(workload.resource, msg.invalidApplicationUID(c.name ?? `#${i}`), `${base}.containers[${i}].securityContext.runAsUser`);
      });
    }
  },
};
