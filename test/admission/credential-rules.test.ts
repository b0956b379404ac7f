import { FailingCase, expectAccepted, expectProblemAt, istio } from './documents';

/**
 * Credentials written into routing and configuration documents, as the CLI and every synth see
 * them: a password inside a URL anywhere in the documents that hold other services' URLs, and a
 * literal value for a credential header that a VirtualService sets.
 */
const route = (headers: unknown) => istio('VirtualService', { hosts: ['api'], http: [{ route: [{ destination: { host: 'api' }, headers }] }] });
const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kiali', namespace: 'istio-system' }, data });
const URL_FIX = 'keep the credential in a Secret the service reads';
const HEADER_FIX = 'have the caller send it, or inject it from a Secret at run time';

const failing: FailingCase[] = [
  { name: 'a jwksUri with user and password', doc: istio('RequestAuthentication', { jwtRules: [{ issuer: 'i', jwksUri: 'https://admin:hunter2@auth.example.com/jwks' }] }, 'ra', 'security.istio.io'), path: 'spec.jwtRules[0].jwksUri', says: 'the value holds a password inside a URL (user:password@)', fix: URL_FIX },
  { name: 'a Grafana URL with a password in an addon configuration text', doc: configMap({ 'config.yaml': 'external_services:\n  grafana:\n    internal_url: http://admin:hunter2@grafana:3000\n' }), path: 'data["config.yaml"]', says: 'a password inside a URL', fix: URL_FIX },
  { name: 'a ServiceEntry endpoint label holding a URL with a password', doc: istio('ServiceEntry', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS', endpoints: [{ address: 'db.example.com', labels: { dsn: 'postgres://u:p4ss@db' } }] }), path: 'spec.endpoints[0].labels.dsn', says: 'a password inside a URL', fix: URL_FIX },
  { name: 'a request header set to an API key', doc: route({ request: { set: { 'x-api-key': 'sk_live_0123456789' } } }), path: 'spec.http[0].route[0].headers.request.set.x-api-key', says: 'the header x-api-key is given a literal credential', fix: HEADER_FIX },
  { name: 'an Authorization header added with a bearer token', doc: route({ request: { add: { authorization: 'Bearer eyJhbGciOi' } } }), path: 'spec.http[0].route[0].headers.request.add.authorization', says: 'the header authorization is given a literal credential', fix: HEADER_FIX },
];

describe('credentials in URLs and headers', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('URLs without a password, $(VAR) in its place, Envoy operators and ordinary headers pass', () => {
    expectAccepted(istio('RequestAuthentication', { jwtRules: [{ issuer: 'i', jwksUri: 'https://auth.example.com/jwks' }] }, 'ra', 'security.istio.io'));
    expectAccepted(configMap({ 'config.yaml': 'url: http://grafana:3000\nmail: ops@example.com\nuser: https://admin@grafana:3000\n' }));
    expectAccepted(route({ request: { set: { 'x-api-key': '%REQ(x-client-key)%', 'x-env': 'prod' }, remove: ['authorization'] } }));
    expectAccepted(route({ response: { set: { 'x-token-expiry': '3600' } } }));
  });
});
