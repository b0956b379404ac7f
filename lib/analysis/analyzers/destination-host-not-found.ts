import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { routeDestinations } from './routes';

/** IST0101: a VirtualService routes to a host that is neither a Service nor a ServiceEntry host. */
export const destinationHostNotFound: Analyzer = {
  name: 'destination-host-not-found',
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const d of routeDestinations(vs)) {
        const host = d.destination.host;
        if (!host || index.hostKnown(qualifyHost(host, vs.namespace), vs.namespace)) continue;
        report(vs, msg.referencedResourceNotFound({ what: 'host', host }), `${d.field}.host`);
      }
    }
  },
};
