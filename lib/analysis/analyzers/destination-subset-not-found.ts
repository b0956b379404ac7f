import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { routeDestinations } from './routes';

/** IST0101: a VirtualService routes to a subset that no DestinationRule for the host defines. */
export const destinationSubsetNotFound: Analyzer = {
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const d of routeDestinations(vs)) {
        const { host, subset } = d.destination;
        if (!host || !subset) continue;
        const rules = index.destinationRules(qualifyHost(host, vs.namespace), vs.namespace);
        if (rules.some(r => (r.doc.spec?.subsets ?? []).some((s: { name: string }) => s.name === subset))) continue;
        report('IST0101', vs, `Referenced host+subset in destinationrule not found: "${host}+${subset}". `
          + (rules.length ? `Add subset ${subset} to DestinationRule ${rules.map(r => `${r.namespace}/${r.name}`).join(', ')}.` : `Add a DestinationRule for ${host} defining subset ${subset}.`), `${d.field}.subset`);
      }
    }
  },
};
