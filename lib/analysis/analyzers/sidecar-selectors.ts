import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { msg } from '../message-constructors';
import { LabelSelecting, workloadsSelectedTwice } from './selector-conflicts';

/**
 * IST0111: more than one Sidecar of a namespace has no workload selector, so which one applies is
 * undefined; IST0110: several Sidecars select the same workload (one message per Sidecar and
 * workload).
 */
export const sidecarSelectors: Analyzer = {
  name: 'sidecar-selectors',
  codes: ['IST0110', 'IST0111'],
  analyze(index, report) {
    const unselected = new Map<string, Resource[]>();
    const selecting: LabelSelecting[] = [];
    for (const s of index.sidecars()) {
      const labels = s.spec.workloadSelector?.labels;
      if (s.spec.workloadSelector === undefined) unselected.set(s.namespace, [...unselected.get(s.namespace) ?? [], s]);
      else if (labels && Object.keys(labels).length > 0) selecting.push({ resource: s, selector: labels });
    }
    for (const [namespace, sidecars] of unselected) {
      if (sidecars.length < 2) continue;
      const names = sidecars.map(s => s.name).sort();
      for (const s of sidecars) report(s, msg.multipleSidecarsWithoutWorkloadSelectors(names, namespace), 'spec.workloadSelector');
    }
    for (const [workload, sidecars] of workloadsSelectedTwice(index, selecting)) {
      const names = sidecars.map(s => s.name).sort();
      for (const s of sidecars) {
        report(s, msg.conflictingSidecarWorkloadSelectors(names, s.namespace, workload.resource.name), 'spec.workloadSelector.labels');
      }
    }
  },
};
