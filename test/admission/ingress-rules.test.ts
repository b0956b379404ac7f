import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

const backend = (port: Json = { number: 80 }, name = 'web'): Json => ({ service: { name, port } });

/** An Ingress with one rule for `host` routing `path` (Prefix unless told) to `to`, plus the given spec fields. */
function ingress(path: Json, host: string | undefined = 'shop.example.com', spec: Json = {}): Json {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { ingressClassName: 'istio', rules: [{ ...host === undefined ? {} : { host }, http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(), ...path }] } }], ...spec },
  };
}

const RULE = 'spec.rules[0]';
const PATH = `${RULE}.http.paths[0]`;

const failing: FailingCase[] = [
  { name: 'neither rules nor a default backend', doc: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { ingressClassName: 'istio' } }, path: 'spec', says: 'neither rules nor a defaultBackend', fix: 'add rules' },
  { name: 'a host that is an IP address', doc: ingress({}, '203.0.113.7'), path: `${RULE}.host`, says: '"203.0.113.7" is an IP address', fix: '"shop.example.com"' },
  { name: 'a wildcard inside a host', doc: ingress({}, 'shop.*.example.com'), path: `${RULE}.host`, says: 'is not a DNS name (a wildcard is allowed only as the first label', fix: '"*.example.com"' },
  { name: 'a Prefix path that is not absolute', doc: ingress({ path: 'api' }), path: `${PATH}.path`, says: '"api" is not an absolute path', fix: '("/api")' },
  { name: 'a Prefix path with "//"', doc: ingress({ path: '/api//v1' }), path: `${PATH}.path`, says: 'a Prefix path may not contain "//"', fix: 'without empty' },
  { name: 'an Exact path ending with "/.."', doc: ingress({ path: '/api/..', pathType: 'Exact' }), path: `${PATH}.path`, says: 'an Exact path may not end with "/.."', fix: 'segments' },
  { name: 'a backend port by name and number', doc: ingress({ backend: backend({ name: 'http', number: 80 }) }), path: `${PATH}.backend.service.port`, says: 'by both name and number', fix: 'keep one' },
  { name: 'a backend without a port', doc: ingress({ backend: { service: { name: 'web' } } }), path: `${PATH}.backend.service.port`, says: 'does not say which port', fix: 'port.number' },
  { name: 'a backend Service name with a dot', doc: ingress({ backend: backend({ number: 80 }, 'web.shop') }), path: `${PATH}.backend.service.name`, says: '"web.shop" is not a Service name', fix: 'starting with a letter' },
  { name: 'a backend naming a Service and a resource', doc: ingress({ backend: { ...backend(), resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } }), path: `${PATH}.backend.resource`, says: 'names both a Service and a resource', fix: 'keep one' },
  { name: 'an http rule without paths', doc: { ...ingress({}), spec: { rules: [{ host: 'shop.example.com', http: { paths: [] } }] } }, path: `${RULE}.http.paths`, says: 'the http rule has no paths', fix: 'pathType: "Prefix"' },
  { name: 'a backend naming neither a Service nor a resource', doc: ingress({ backend: {} }), path: `${PATH}.backend`, says: 'names neither a Service nor a resource', fix: 'service:' },
  { name: 'a Prefix path left out', doc: ingress({ path: undefined }), path: `${PATH}.path`, says: '"" is not an absolute path', fix: 'start it with "/"' },
  { name: 'a TLS Secret name in upper case', doc: ingress({}, 'shop.example.com', { tls: [{ hosts: ['shop.example.com'], secretName: 'Shop_TLS' }] }), path: 'spec.tls[0].secretName', says: '"Shop_TLS" is not a Secret name', fix: 'lower-case' },
  { name: 'a wildcard host over 253 characters', doc: ingress({}, `*.${['a', 'b', 'c'].map(c => c.repeat(62)).join('.')}.${'d'.repeat(63)}`), path: `${RULE}.host`, says: 'is not a DNS name', fix: '"*.example.com"' },
  { name: 'an IngressClass name in upper case', doc: ingress({}, 'shop.example.com', { ingressClassName: 'Istio' }), path: 'spec.ingressClassName', says: '"Istio" is not an IngressClass name', fix: '"istio"' },
];

describe('Ingress rules (the API server\'s Ingress validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid Ingresses pass', () => {
    expectAccepted(ingress({}));
    expectAccepted(ingress({ path: '/api', pathType: 'Exact', backend: backend({ name: 'http' }) }, '*.example.com', { tls: [{ hosts: ['*.example.com'], secretName: 'shop-tls' }] }));
    expectAccepted(ingress({ path: '', pathType: 'ImplementationSpecific' }, undefined));
    expectAccepted({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' }, spec: { defaultBackend: backend() } });
    // a port number of 0 and an empty port name are unset; a TLS host may be an IP address
    expectAccepted(ingress({ backend: backend({ name: 'http', number: 0 }) }, 'shop.example.com', { tls: [{ hosts: ['203.0.113.7'] }] }));
    expectAccepted(ingress({ backend: backend({ name: '', number: 80 }) }));
  });
});
