import { Analyzer } from '../analyzer';
import { workloadInMesh } from '../mesh-membership';
import { msg } from '../message-constructors';
import { selectorString } from './selector-conflicts';

/**
 * IST0127: an AuthorizationPolicy that applies to no workload in the mesh: its selector matches no
 * mesh workload of its namespace (of any namespace for a policy in the root namespace), or, without
 * a selector, its namespace has no mesh workload. Policies that target a Gateway or Service
 * (`targetRef(s)`) are left out.
 */
export const noMatchingWorkloads: Analyzer = {
  name: 'no-matching-workloads',
  codes: ['IST0127'],
  analyze(index, report) {
    for (const ap of index.authorizationPolicies()) {
      if (ap.spec.targetRef !== undefined || ap.spec.targetRefs !== undefined) continue;
      const selector = ap.spec.selector?.matchLabels;
      const meshWide = ap.namespace === index.rootNamespace;
      if (selector === undefined && meshWide) continue;
      const candidates = selector === undefined
        ? index.workloads(ap.namespace)
        : meshWide ? index.selectedWorkloadsAnywhere(selector) : index.selectedWorkloads(ap.namespace, selector);
      if (!candidates.some(w => workloadInMesh(index, w))) {
        report(ap, msg.noMatchingWorkloadsFound(selectorString(selector)), selector === undefined ? 'metadata.namespace' : 'spec.selector');
      }
    }
  },
};
