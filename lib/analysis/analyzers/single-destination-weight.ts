import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { routeDestinations } from './routes';

/** KIA1104: the only destination of a route has a weight below 100, which Istio treats as 100. */
export const singleDestinationWeight: Analyzer = {
  name: 'single-destination-weight',
  codes: ['KIA1104'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const d of routeDestinations(vs)) {
        if (d.routeSize !== 1 || d.weight === undefined || d.weight >= 100) continue;
        report(vs, msg.singleDestinationWeightBelow100(d.weight), d.field.replace(/\.destination$/, '.weight'));
      }
    }
  },
};
