import { Analyzer } from '../analyzer';
import { Resource } from '../mesh-index';
import { msg } from '../message-constructors';
import { gatewaysOf } from './routes';

/**
 * CDK0002: an Istio Gateway that no VirtualService binds (by `<name>` from its own namespace, or
 * by `<namespace>/<name>`), so it opens ports that route nothing.
 */
export const gatewayNotBound: Analyzer = {
  name: 'gateway-not-bound',
  codes: ['CDK0002'],
  analyze(index, report) {
    const bound = new Set<Resource>();
    for (const vs of index.virtualServices()) {
      for (const reference of gatewaysOf(vs)) {
        const gateway = reference === 'mesh' ? undefined : index.gateway(reference, vs.namespace);
        if (gateway) bound.add(gateway);
      }
    }
    for (const gateway of index.gateways()) {
      if (!bound.has(gateway)) report(gateway, msg.gatewayNotBound(`${gateway.namespace}/${gateway.name}`));
    }
  },
};
