import { Analyzer } from '../analyzer';
import { Doc } from '../mesh-index';

/** The user ID the sidecar runs as; traffic from it bypasses the proxy. */
const PROXY_UID = 1337;

/** IST0144: an application container or pod runs as UID 1337, which is reserved for the sidecar. */
export const applicationUid: Analyzer = {
  codes: ['IST0144'],
  analyze(index, report) {
    for (const workload of index.allWorkloads()) {
      const base = workload.resource.kind === 'Pod' ? 'spec' : 'spec.template.spec';
      if (workload.podSpec.securityContext?.runAsUser === PROXY_UID) {
        report('IST0144', workload.resource, 'User ID (UID) 1337 is reserved for the sidecar proxy. Run the pod as another user.', `${base}.securityContext.runAsUser`);
      }
      (workload.podSpec.containers ?? []).forEach((c: Doc, i: number) => {
        if (c.securityContext?.runAsUser !== PROXY_UID || c.name === 'istio-proxy') return;
        report('IST0144', workload.resource, `User ID (UID) 1337 is reserved for the sidecar proxy. Run container ${c.name} as another user.`, `${base}.containers[${i}].securityContext.runAsUser`);
      });
    }
  },
};
