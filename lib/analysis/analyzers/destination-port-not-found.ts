import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { routeDestinations } from './routes';

/** IST0101: a destination names a port its Service (or ServiceEntry) does not expose. */
export const destinationPortNotFound: Analyzer = {
  name: 'destination-port-not-found',
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const d of routeDestinations(vs)) {
        const { host } = d.destination;
        const port = d.destination.port?.number;
        if (!host || port === undefined) continue;
        const exposed = index.hostPorts(qualifyHost(host, vs.namespace), vs.namespace);
        if (!exposed || exposed.includes(port)) continue;
        report(vs, msg.referencedResourceNotFound({ what: 'host:port', host, port, exposed }), `${d.field}.port`);
      }
    }
  },
};
