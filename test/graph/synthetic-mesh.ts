import { Doc } from '../../lib';

/**
 * A mesh of `services` services for the scale tests, ten per namespace: each a Service and a
 * Deployment per version (every third service has a v2), a DestinationRule with a subset per
 * version and a VirtualService (90/10 between v1 and v2 where there is a v2, and a header match
 * for the canary); an ingress Gateway routing to the first service of each namespace; each
 * namespace STRICT and deny-by-default, every service allowing GET from the one before it.
 */
export function syntheticMesh(services: number): Doc[] {
  const docs: Doc[] = [];
  const names = Array.from({ length: services }, (_, i) => ({ ns: `team-${String(Math.floor(i / 10)).padStart(2, '0')}`, name: `svc-${String(i).padStart(3, '0')}` }));
  const namespaces = [...new Set(names.map(n => n.ns))];
  docs.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'ingress', namespace: namespaces[0] },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  });
  docs.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'ingress', namespace: namespaces[0] },
    spec: {
      hosts: ['*'],
      gateways: ['ingress'],
      http: namespaces.map(ns => ({
        match: [{ uri: { prefix: `/${ns}/` } }], route: [{ destination: { host: `${names.find(n => n.ns === ns)!.name}.${ns}.svc.cluster.local` } }],
      })),
    },
  });
  for (const ns of namespaces) {
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } });
    docs.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: ns }, spec: { mtls: { mode: 'STRICT' } } });
    docs.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: ns }, spec: {} });
  }
  names.forEach(({ ns, name }, i) => {
    const versions = i % 3 === 0 ? ['v1', 'v2'] : ['v1'];
    docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080 }] } });
    for (const v of versions) {
      const labels = { app: name, version: v };
      docs.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `${name}-${v}`, namespace: ns },
        spec: {
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { serviceAccountName: name, containers: [{ name, image: `registry.example.com/${name}:${v}` }] },
          },
        },
      });
    }
    docs.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name, namespace: ns },
      spec: { host: name, subsets: versions.map(v => ({ name: v, labels: { version: v } })) },
    });
    const http = versions.length === 1 ? [{ route: [{ destination: { host: name, subset: 'v1' } }] }] : [
      { match: [{ headers: { 'x-canary': { exact: 'true' } } }], route: [{ destination: { host: name, subset: 'v2' } }] },
      { route: [{ destination: { host: name, subset: 'v1' }, weight: 90 }, { destination: { host: name, subset: 'v2' }, weight: 10 }] },
    ];
    docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns }, spec: { hosts: [name], http } });
    if (i > 0) {
      const caller = names[i - 1];
      docs.push({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: `${name}-viewer`, namespace: ns },
        spec: {
          selector: { matchLabels: { app: name } },
          rules: [{ from: [{ source: { principals: [`cluster.local/ns/${caller.ns}/sa/${caller.name}`] } }], to: [{ operation: { methods: ['GET'] } }] }],
        },
      });
    }
  });
  return docs;
}
