import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { routeDestinations } from './routes';

/** IST0112: a destination names no port although its Service (or ServiceEntry) exposes several. */
export const destinationPortRequired: Analyzer = {
  codes: ['IST0112'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const d of routeDestinations(vs)) {
        if (!d.destination.host || d.destination.port?.number !== undefined) continue;
        const ports = index.hostPorts(qualifyHost(d.destination.host, vs.namespace), vs.namespace) ?? [];
        if (ports.length < 2) continue;
        report('IST0112', vs, `This VirtualService routes to a service "${d.destination.host}" that exposes multiple ports [${ports.join(' ')}]. Specifying a port in the destination is required to disambiguate.`, `${d.field}.port`);
      }
    }
  },
};
