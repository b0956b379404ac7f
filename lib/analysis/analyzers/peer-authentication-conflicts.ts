import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { msg } from '../message-constructors';
import { LabelSelecting, workloadsSelectedTwice } from './selector-conflicts';

/**
 * CDK0005: PeerAuthentications that compete for the same workloads at the same level, of which
 * Istio applies only the oldest: several without a selector in one namespace (the root
 * namespace's are mesh-wide), or several whose selectors select the same workload. One message
 * per PeerAuthentication and conflict.
 */
export const peerAuthenticationConflicts: Analyzer = {
  name: 'peer-authentication-conflicts',
  codes: ['CDK0005'],
  analyze(index, report) {
    const unselected = new Map<string, Resource[]>();
    const selecting: LabelSelecting[] = [];
    for (const policy of index.peerAuthentications()) {
      const labels = policy.spec.selector?.matchLabels;
      if (labels && Object.keys(labels).length > 0) selecting.push({ resource: policy, selector: labels });
      else unselected.set(policy.namespace, [...unselected.get(policy.namespace) ?? [], policy]);
    }
    for (const [namespace, policies] of unselected) {
      if (policies.length < 2) continue;
      const names = policies.map(p => p.name).sort();
      const scope = namespace === index.rootNamespace ? 'the whole mesh' : `every workload of namespace "${namespace}"`;
      for (const p of policies) report(p, msg.conflictingPeerAuthentications(names, scope), 'spec.selector');
    }
    for (const [workload, policies] of workloadsSelectedTwice(index, selecting)) {
      const names = policies.map(p => p.name).sort();
      for (const p of policies) {
        report(p, msg.conflictingPeerAuthentications(names, `the workload "${workload.resource.name}" in namespace "${p.namespace}"`),
          'spec.selector.matchLabels');
      }
    }
  },
};
