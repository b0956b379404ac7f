import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { RouteDestination, routeDestinations } from './routes';

/**
 * KIA1105: one route (of an HTTP, TCP or TLS rule) lists the same destination twice: the same
 * host (fully qualified), subset and port. The split between them means nothing, and it is often a
 * typo for another subset. Kiali ignores the port; two destinations that differ only by port are
 * not reported here.
 */
export const repeatedRouteDestination: Analyzer = {
  name: 'repeated-route-destination',
  codes: ['KIA1105'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      const byRoute = new Map<string, RouteDestination[]>();
      for (const d of routeDestinations(vs)) {
        const route = d.field.indexOf('.route[');
        if (route < 0 || typeof d.destination.host !== 'string') continue; // mirrors are not part of a route
        const { host, subset, port } = d.destination;
        const key = `${d.field.slice(0, route)}|${qualifyHost(host, vs.namespace)}|${subset ?? ''}|${port?.number ?? ''}`;
        byRoute.set(key, [...byRoute.get(key) ?? [], d]);
      }
      for (const repeated of byRoute.values()) {
        if (repeated.length < 2) continue;
        for (const d of repeated) {
          const others = repeated.filter(o => o !== d).map(o => o.field);
          report(vs, msg.repeatedRouteDestination(d.destination.host!, d.destination.subset, others), `${d.field}.host`);
        }
      }
    }
  },
};
