import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { LabelSelecting, workloadsSelectedTwice } from './selector-conflicts';

/** IST0159: several Telemetries select the same workload (one message per Telemetry and workload). */
export const telemetrySelectors: Analyzer = {
  name: 'telemetry-selectors',
  codes: ['IST0159'],
  analyze(index, report) {
    const selecting: LabelSelecting[] = [];
    for (const t of index.telemetries()) {
      const labels = t.spec.selector?.matchLabels;
      if (labels && Object.keys(labels).length > 0) selecting.push({ resource: t, selector: labels });
    }
    for (const [workload, telemetries] of workloadsSelectedTwice(index, selecting)) {
      const names = telemetries.map(t => t.name).sort();
      for (const t of telemetries) {
        report(t, msg.conflictingTelemetryWorkloadSelectors(names, t.namespace, workload.resource.name), 'spec.selector.matchLabels');
      }
    }
  },
};
