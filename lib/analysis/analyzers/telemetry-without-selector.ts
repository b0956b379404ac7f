import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { msg } from '../message-constructors';

/** IST0160: more than one Telemetry in a namespace has no selector, so which one applies is undefined. */
export const telemetryWithoutSelector: Analyzer = {
  name: 'telemetry-without-selector',
  codes: ['IST0160'],
  analyze(index, report) {
    const byNamespace = new Map<string, Resource[]>();
    for (const t of index.telemetries()) {
      if (t.spec.selector || t.spec.targetRef || t.spec.targetRefs) continue;
      byNamespace.set(t.namespace, [...byNamespace.get(t.namespace) ?? [], t]);
    }
    for (const [namespace, telemetries] of byNamespace) {
      if (telemetries.length < 2) continue;
      const names = telemetries.map(t => t.name).sort();
      for (const t of telemetries) report(t, msg.multipleTelemetriesWithoutWorkloadSelectors(names, namespace), 'spec.selector');
    }
  },
};
