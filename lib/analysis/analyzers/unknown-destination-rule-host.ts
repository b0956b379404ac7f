import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';

/** IST0174: a DestinationRule is for a host that is neither a Service nor a ServiceEntry host. */
export const unknownDestinationRuleHost: Analyzer = {
  codes: ['IST0174'],
  analyze(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const host = dr.doc.spec?.host;
      if (typeof host !== 'string' || host.includes('*') || index.hostKnown(qualifyHost(host, dr.namespace), dr.namespace)) continue;
      report('IST0174', dr, `DestinationRule for non-existent service registry host "${host}". Deploy the Service, add a ServiceEntry, or fix the host.`, 'spec.host');
    }
  },
};
