import { Analyzer } from '../analyzer';
import { gatewaysOf } from './routes';

/** IST0101: a VirtualService names a Gateway that does not exist. */
export const gatewayNotFound: Analyzer = {
  codes: ['IST0101'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      gatewaysOf(vs).forEach((gateway, i) => {
        if (gateway === 'mesh' || index.gateway(gateway, vs.namespace)) return;
        report('IST0101', vs, `Referenced gateway not found: "${gateway}". Create the Gateway, or fix the name (use <namespace>/<name> for a gateway in another namespace).`, `spec.gateways[${i}]`);
      });
    }
  },
};
