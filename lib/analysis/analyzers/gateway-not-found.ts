import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';
import { gatewaysOf } from './routes';

/** IST0101: a VirtualService names an Istio Gateway that does not exist (a Gateway API Gateway does not count). */
export const gatewayNotFound: Analyzer = {
  name: 'gateway-not-found',
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      gatewaysOf(vs).forEach((gateway, i) => {
        if (gateway === 'mesh' || index.gateway(gateway, vs.namespace)) return;
        report(vs, msg.referencedResourceNotFound({ what: 'gateway', gateway }), `spec.gateways[${i}]`);
      });
    }
  },
};
