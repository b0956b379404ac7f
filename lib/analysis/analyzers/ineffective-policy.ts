import { Analyzer } from '../analyzer';
import { namespaceIsAmbient, namespaceResource, workloadIsAmbient } from '../mesh-membership';
import { msg } from '../message-constructors';

/**
 * IST0167: a Sidecar that cannot take effect because what it applies to runs in ambient mode
 * (no sidecar proxy reads it): a namespace-wide Sidecar of an ambient namespace, or a Sidecar
 * whose selector selects an ambient workload.
 */
export const ineffectivePolicy: Analyzer = {
  name: 'ineffective-policy',
  codes: ['IST0167'],
  analyze(index, report) {
    for (const s of index.sidecars()) {
      const labels = s.spec.workloadSelector?.labels;
      if (labels === undefined || Object.keys(labels).length === 0) {
        if (namespaceIsAmbient(namespaceResource(index, s.namespace))) {
          report(s, msg.ineffectivePolicy(`namespace ${s.namespace} is in ambient mode`), 'metadata.namespace');
        }
        continue;
      }
      const ambient = index.selectedWorkloads(s.namespace, labels).find(w => workloadIsAmbient(index, w));
      if (ambient === undefined) continue;
      report(s, msg.ineffectivePolicy(`selected workload ${ambient.resource.name} is in ambient mode`), 'spec.workloadSelector.labels');
    }
  },
};
