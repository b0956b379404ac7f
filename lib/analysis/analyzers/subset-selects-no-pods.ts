import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { KINDS } from '../group-kinds';
import { MeshIndex, Workload, list, selects } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';

/** The Node labels Istio adds to a pod's endpoint labels (its locality), so subsets may select by them. */
const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];

/**
 * A pod's labels as its endpoints carry them: its own, plus the region and zone of its Node — the
 * Node of `spec.nodeName` when it is in the input, or for a pod template the values its
 * nodeSelector pins. Empty topology labels are left out (Istio does not match on them).
 */
function endpointLabels(index: MeshIndex, workload: Workload): Labels {
  const { nodeName, nodeSelector } = workload.podSpec;
  const node = typeof nodeName === 'string' ? index.find(KINDS.Node, '', nodeName) : undefined;
  const source = node?.labels ?? nodeSelector ?? {};
  const topology = TOPOLOGY_LABELS.filter(l => typeof source[l] === 'string' && source[l] !== '').map(l => [l, source[l]]);
  return topology.length === 0 ? workload.labels : { ...workload.labels, ...Object.fromEntries(topology) };
}

/**
 * IST0173: a DestinationRule subset of a Kubernetes Service selects none of the Service's pods
 * (workload pod templates stand in for pods; their Node's region and zone count as their labels),
 * so routing to it finds no endpoints.
 */
export const subsetSelectsNoPods: Analyzer = {
  name: 'subset-selects-no-pods',
  codes: ['IST0173'],
  analyze(index, report) {
    for (const dr of index.destinationRules()) {
      const host = dr.spec.host;
      const service = typeof host === 'string' ? index.service(qualifyHost(host, dr.namespace)) : undefined;
      const selector = service?.spec.selector;
      if (!service) continue;
      const pods = selector ? index.selectedWorkloads(service.namespace, selector).map(w => endpointLabels(index, w)) : [];
      list(dr.spec.subsets).forEach((subset, i) => {
        if (pods.some(labels => selects(subset.labels, labels))) return;
        const serviceName = `${service.namespace}/${service.name}`;
        report(dr, msg.destinationRuleSubsetNotSelectPods(subset.name, serviceName, subset.labels ?? {}), `spec.subsets[${i}]`);
      });
    }
  },
};
