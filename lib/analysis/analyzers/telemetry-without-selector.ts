import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';

/** IST0160: more than one Telemetry in a namespace has no selector, so which one applies is undefined. */
export const telemetryWithoutSelector: Analyzer = {
  codes: ['IST0160'],
  analyze(index, report) {
    const byNamespace = new Map<string, Resource[]>();
    for (const t of index.ofKind('Telemetry')) {
      if (t.doc.spec?.selector || t.doc.spec?.targetRef || t.doc.spec?.targetRefs) continue;
      byNamespace.set(t.namespace, [...byNamespace.get(t.namespace) ?? [], t]);
    }
    for (const [namespace, telemetries] of byNamespace) {
      if (telemetries.length < 2) continue;
      const names = telemetries.map(t => t.name).sort().join(' ');
      for (const t of telemetries) {
        report('IST0160', t, `The Telemetries [${names}] in namespace "${namespace}" have no workload selector, which can lead to undefined behavior. Keep one namespace-wide Telemetry and give the others selectors.`, 'spec.selector');
      }
    }
  },
};
