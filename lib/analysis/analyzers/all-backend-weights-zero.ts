import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * CDK0007: a Gateway API route rule (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) whose backendRefs
 * all have weight 0. The Gateway API then answers every request of the rule with a 500 (TCP: no
 * connection), where a classic Istio route with one destination of weight 0 uses it (KIA1104).
 */
export const allBackendWeightsZero: Analyzer = {
  name: 'all-backend-weights-zero',
  codes: ['CDK0007'],
  analyze(index, report) {
    for (const route of index.gatewayApiRoutes()) {
      list(route.spec.rules).forEach((rule, i) => {
        const backends = list(rule?.backendRefs);
        if (backends.length > 0 && backends.every(b => b?.weight === 0)) {
          report(route, msg.allBackendWeightsZero(backends.length), `spec.rules[${i}].backendRefs`);
        }
      });
    }
  },
};
