import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { routeDestinations } from './routes';

/** IST0101: a VirtualService routes to a host that is neither a Service nor a ServiceEntry host. */
export const destinationHostNotFound: Analyzer = {
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const d of routeDestinations(vs)) {
        const host: string | undefined = d.destination.host;
        if (!host || index.hostKnown(qualifyHost(host, vs.namespace), vs.namespace)) continue;
        report('IST0101', vs, `Referenced host not found: "${host}". Deploy the Service, add a ServiceEntry for it, or fix the host.`, `${d.field}.host`);
      }
    }
  },
};
