import { Analyzer } from '../analyzer';
import { routeDestinations } from './routes';

/** KIA1104: the only destination of a route has a weight below 100, which Istio treats as 100. */
export const singleDestinationWeight: Analyzer = {
  codes: ['KIA1104'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const d of routeDestinations(vs)) {
        if (d.routeSize !== 1 || d.weight === undefined || d.weight >= 100) continue;
        report('KIA1104', vs, `The weight ${d.weight} is assumed to be 100 because it is the route's only destination. Add the other destinations of the split, or remove the weight.`, d.field.replace(/\.destination$/, '.weight'));
      }
    }
  },
};
