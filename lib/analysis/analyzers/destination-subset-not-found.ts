import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';
import { routeDestinations } from './routes';

/** IST0101: a VirtualService routes to a subset that no DestinationRule for the host defines. */
export const destinationSubsetNotFound: Analyzer = {
  name: 'destination-subset-not-found',
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const d of routeDestinations(vs)) {
        const { host, subset } = d.destination;
        if (!host || !subset) continue;
        const rules = index.destinationRulesFor(qualifyHost(host, vs.namespace), vs.namespace);
        if (rules.some(r => list(r.spec.subsets).some(s => s.name === subset))) continue;
        const ruleNames = rules.map(r => `${r.namespace}/${r.name}`);
        report(vs, msg.referencedResourceNotFound({ what: 'host+subset', host, subset, rules: ruleNames }), `${d.field}.subset`);
      }
    }
  },
};
