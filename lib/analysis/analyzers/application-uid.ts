import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The user ID the sidecar runs as; traffic from it bypasses the proxy. */
const PROXY_UID = 1337;

/**
 * IST0144: an application pod or container runs as UID 1337, which is reserved for the sidecar.
 * One message per workload, as istioctl: at the pod's securityContext when it sets the UID, else
 * at the first such container, naming every one.
 */
export const applicationUid: Analyzer = {
  name: 'application-uid',
  codes: ['IST0144'],
  analyze(index, report) {
    for (const workload of index.allWorkloads()) {
      const base = workload.resource.kind === 'Pod' ? 'spec' : 'spec.template.spec';
      if (workload.podSpec.securityContext?.runAsUser === PROXY_UID) {
        report(workload.resource, msg.invalidApplicationUID(), `${base}.securityContext.runAsUser`);
        continue;
      }
      const containers = list(workload.podSpec.containers).map((c, i) => ({ c, i }))
        .filter(({ c }) => c.securityContext?.runAsUser === PROXY_UID && c.name !== 'istio-proxy');
      if (containers.length === 0) continue;
      report(workload.resource, msg.invalidApplicationUID(containers.map(({ c, i }) => c.name ?? `#${i}`).join(', ')),
        `${base}.containers[${containers[0].i}].securityContext.runAsUser`);
    }
  },
};
