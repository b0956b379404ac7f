import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

/** A Service of the api pods with the given spec fields (one port, 80, unless `ports` is given). */
const service = (spec: Json): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80 }], ...spec },
});

const failing: FailingCase[] = [
  { name: 'no ports', doc: service({ ports: [] }), path: 'spec.ports', says: 'the Service has no ports', fix: 'clusterIP: None' },
  { name: 'one port twice', doc: service({ ports: [{ name: 'http', port: 80 }, { name: 'web', port: 80 }] }), path: 'spec.ports[1].port', says: 'port 80/TCP is listed twice', fix: 'once' },
  { name: 'a nodePort on a ClusterIP Service', doc: service({ ports: [{ name: 'http', port: 80, nodePort: 30080 }] }), path: 'spec.ports[0].nodePort', says: 'nodePort is set on a ClusterIP Service', fix: 'type NodePort' },
  { name: 'a headless NodePort Service', doc: service({ type: 'NodePort', clusterIP: 'None' }), path: 'spec.clusterIP', says: 'a NodePort Service cannot be headless', fix: 'remove clusterIP' },
  { name: 'externalTrafficPolicy on a ClusterIP Service', doc: service({ externalTrafficPolicy: 'Local' }), path: 'spec.externalTrafficPolicy', says: 'externalTrafficPolicy is set on a ClusterIP Service', fix: 'NodePort and LoadBalancer' },
  { name: 'loadBalancerSourceRanges on a NodePort Service', doc: service({ type: 'NodePort', loadBalancerSourceRanges: ['10.0.0.0/8'] }), path: 'spec.loadBalancerSourceRanges', says: 'is set on a NodePort Service', fix: 'type LoadBalancer' },
  { name: 'an ExternalName Service without externalName', doc: service({ type: 'ExternalName', selector: undefined }), path: 'spec.externalName', says: 'an ExternalName Service has no externalName', fix: '"db.example.com"' },
  { name: 'an ExternalName that is a URL', doc: service({ type: 'ExternalName', externalName: 'https://db.example.com' }), path: 'spec.externalName', says: '"https://db.example.com" is not a DNS name', fix: 'DNS name' },
  { name: 'an ExternalName Service with a cluster IP', doc: service({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: 'None' }), path: 'spec.clusterIP', says: 'an ExternalName Service has no cluster IP', fix: 'remove clusterIP' },
  { name: 'an empty externalName', doc: service({ type: 'ExternalName', externalName: '' }), path: 'spec.externalName', says: 'an ExternalName Service has no externalName', fix: '"db.example.com"' },
  { name: 'allocateLoadBalancerNodePorts on a NodePort Service', doc: service({ type: 'NodePort', allocateLoadBalancerNodePorts: false }), path: 'spec.allocateLoadBalancerNodePorts', says: 'allocateLoadBalancerNodePorts is set on a NodePort Service', fix: 'type LoadBalancer' },
  { name: 'a source range that is not a CIDR block', doc: service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['office'] }), path: 'spec.loadBalancerSourceRanges[0]', says: '"office" is not a CIDR block', fix: '"203.0.113.0/24"' },
  { name: 'healthCheckNodePort without the Local policy', doc: service({ type: 'LoadBalancer', healthCheckNodePort: 30500 }), path: 'spec.healthCheckNodePort', says: 'without type LoadBalancer and externalTrafficPolicy: Local', fix: 'remove it' },
  { name: 'a session affinity over a day', doc: service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 100000 } } }), path: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', says: '100000 s is outside 1 to 86400 s', fix: 'a day' },
  { name: 'several ports, one without a name', doc: service({ ports: [{ name: 'http', port: 80 }, { port: 81 }] }), path: 'spec.ports[1].name', says: 'a Service with several ports needs a name on each', fix: '"grpc-api"' },
  { name: 'a port name in upper case', doc: service({ ports: [{ name: 'HTTP', port: 80 }] }), path: 'spec.ports[0].name', says: 'port name "HTTP" is not a DNS-1123 label', fix: 'lower-case' },
  { name: 'a target port name too long', doc: service({ ports: [{ name: 'http', port: 80, targetPort: 'http-metrics-port' }] }), path: 'spec.ports[0].targetPort', says: 'is neither a port number nor a port name', fix: 'at most 15' },
];

describe('Service rules (the API server\'s Service validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid Services of every type pass', () => {
    expectAccepted(service({ ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }));
    expectAccepted(service({ clusterIP: 'None', ports: [] }));
    expectAccepted(service({ ports: [{ name: 'http', port: 80, nodePort: 0 }] }));
    expectAccepted(service({ type: 'NodePort', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }));
    expectAccepted(service({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'], externalTrafficPolicy: 'Cluster' }));
    expectAccepted(service({ type: 'ExternalName', externalName: 'db.example.com.', selector: undefined, ports: [] }));
    expectAccepted(service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }));
    // what the API server defaults or drops: target ports 0 and "" (the port), affinity settings without ClientIP affinity
    expectAccepted(service({ ports: [{ name: 'http', port: 80, targetPort: 0 }, { name: 'web', port: 81, targetPort: '' }] }));
    expectAccepted(service({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 100000 } } }));
    expectAccepted(service({ externalIPs: ['203.0.113.7'], externalTrafficPolicy: 'Local' }));
    expectAccepted(service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30500 }));
  });
});
