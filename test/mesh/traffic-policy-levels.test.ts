import { ClientTlsMode, DestinationRule, LoadBalancer, LoadBalancerAlgorithm, Subset, TrafficPolicy } from '../../lib';
import { docsOf, findDoc, newChart } from '../support/constructs';

/**
 * Istio's DestinationRule has four places a traffic policy is written (the rule, its port-level
 * settings, a subset, a subset's port-level settings); each has its own generated enums, and a
 * value the L1 class does not know at that level would be dropped from the manifest.
 */
function policiesAtEveryLevel(policy: TrafficPolicy): unknown[] {
  const { chart } = newChart();
  const withPorts: TrafficPolicy = { ...policy, portLevelSettings: [{ port: 9080, ...policy }] };
  new DestinationRule(chart, 'dr', { host: 'ratings', trafficPolicy: withPorts, subsets: [Subset.version('v1', withPorts)] });
  const spec = findDoc(docsOf(chart), 'DestinationRule', 'dr').spec;
  const { portLevelSettings: rulePorts, ...rule } = spec.trafficPolicy;
  const { portLevelSettings: subsetPorts, ...subset } = spec.subsets[0].trafficPolicy;
  const withoutPort = ({ port, ...rest }: { port: unknown }) => rest;
  return [rule, withoutPort(rulePorts[0]), subset, withoutPort(subsetPorts[0])];
}

describe('traffic policy enums at every level of a DestinationRule', () => {
  test.each(Object.values(LoadBalancerAlgorithm))('loadBalancer.simple %s', algorithm => {
    const levels = policiesAtEveryLevel({ loadBalancer: LoadBalancer.simple(algorithm) });
    expect(levels).toEqual(Array(4).fill({ loadBalancer: { simple: algorithm } }));
  });

  test.each(Object.values(ClientTlsMode))('tls.mode %s', mode => {
    const tls = mode === ClientTlsMode.MUTUAL ? { mode, credentialName: 'client-cert' } : { mode };
    expect(policiesAtEveryLevel({ tls })).toEqual(Array(4).fill({ tls }));
  });

  test('consistent hashing, pool and outlier settings are written at every level', () => {
    const policy: TrafficPolicy = {
      loadBalancer: LoadBalancer.consistentHashByHeader('x-user'),
      connectionPool: { maxConnections: 10, http2MaxRequests: 100 },
      outlierDetection: { consecutive5xxErrors: 3 },
    };
    expect(policiesAtEveryLevel(policy)).toEqual(Array(4).fill({
      loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } },
      connectionPool: { tcp: { maxConnections: 10 }, http: { http2MaxRequests: 100 } },
      outlierDetection: { consecutive5xxErrors: 3 },
    }));
  });
});
