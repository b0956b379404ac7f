import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { routeDestinations } from './routes';

/** IST0101: a destination names a port its Service (or ServiceEntry) does not expose. */
export const destinationPortNotFound: Analyzer = {
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const d of routeDestinations(vs)) {
        const port: number | undefined = d.destination.port?.number;
        if (!d.destination.host || port === undefined) continue;
        const ports = index.hostPorts(qualifyHost(d.destination.host, vs.namespace), vs.namespace);
        if (!ports || ports.includes(port)) continue;
        report('IST0101', vs, `Referenced host:port not found: "${d.destination.host}:${port}" (it exposes ${ports.join(', ')}). Use one of its ports.`, `${d.field}.port`);
      }
    }
  },
};
