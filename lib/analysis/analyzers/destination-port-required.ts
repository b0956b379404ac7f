import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { routeDestinations } from './routes';

/** IST0112: a destination names no port although its Service (or ServiceEntry) exposes several. */
export const destinationPortRequired: Analyzer = {
  name: 'destination-port-required',
  codes: ['IST0112'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const d of routeDestinations(vs)) {
        const { host } = d.destination;
        if (!host || d.destination.port?.number !== undefined) continue;
        const ports = index.hostPorts(qualifyHost(host, vs.namespace), vs.namespace) ?? [];
        if (ports.length < 2) continue;
        report(vs, msg.virtualServiceDestinationPortSelectorRequired(host, ports), `${d.field}.port`);
      }
    }
  },
};
