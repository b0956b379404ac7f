import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { clientNamespaces, routeDestinations } from './routes';

/**
 * IST0101: a VirtualService routes to a host that is neither a Service nor a ServiceEntry host
 * visible from the namespaces it is exported to (its own when it has no exportTo).
 */
export const destinationHostNotFound: Analyzer = {
  name: 'destination-host-not-found',
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      const clients = clientNamespaces(vs);
      for (const d of routeDestinations(vs)) {
        const host = d.destination.host;
        if (!host || clients.some(ns => index.hostKnown(qualifyHost(host, vs.namespace), ns))) continue;
        report(vs, msg.referencedResourceNotFound({ what: 'host', host }), `${d.field}.host`);
      }
    }
  },
};
