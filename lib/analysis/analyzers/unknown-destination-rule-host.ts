import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

/** IST0174: a DestinationRule is for a host that is neither a Service nor a ServiceEntry host. */
export const unknownDestinationRuleHost: Analyzer = {
  name: 'unknown-destination-rule-host',
  codes: ['IST0174'],
  analyze(index, report) {
    for (const dr of index.destinationRules()) {
      const host = dr.spec.host;
      if (typeof host !== 'string' || host.includes('*') || index.hostKnown(qualifyHost(host, dr.namespace), dr.namespace)) continue;
      report(dr, msg.unknownDestinationRuleHost(host), 'spec.host');
    }
  },
};
