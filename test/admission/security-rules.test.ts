import { FailingCase, expectAccepted, expectProblemAt, istio } from './documents';

const policy = (rules: unknown[]) => istio('AuthorizationPolicy', { selector: { matchLabels: { app: 'orders' } }, rules }, 'orders', 'security.istio.io');
const from = (source: Record<string, unknown>) => policy([{ from: [{ source }] }]);
const S = 'spec.rules[0].from[0].source';

const failing: FailingCase[] = [
  { name: 'a bare service name as principal', doc: from({ principals: ['orders'] }), path: `${S}.principals[0]`, says: 'principal "orders" matches no workload identity', fix: '<trust-domain>/ns/<namespace>/sa/<service account>' },
  { name: 'a trust domain with a space', doc: from({ principals: ['cluster local/ns/shop/sa/orders'] }), path: `${S}.principals[0]`, says: 'matches no workload identity', fix: 'cluster.local/ns/shop/sa/orders' },
  { name: 'a wildcard in the middle of a principal', doc: from({ notPrincipals: ['cluster.local/ns/*/sa/orders'] }), path: `${S}.notPrincipals[0]`, says: 'matches no workload identity', fix: 'one "*" at either end' },
  { name: 'a namespace with spaces and upper case', doc: from({ namespaces: ['Not A Namespace'] }), path: `${S}.namespaces[0]`, says: '"Not A Namespace" is not a namespace name or wildcard', fix: 'DNS-1123 label' },
  { name: 'an IP block that is no CIDR', doc: from({ ipBlocks: ['10.0.0.0/40'] }), path: `${S}.ipBlocks[0]`, says: 'not an IP address or CIDR block', fix: '10.0.0.0/16' },
  { name: 'an operation port out of range', doc: policy([{ to: [{ operation: { ports: ['0'] } }] }]), path: 'spec.rules[0].to[0].operation.ports[0]', says: '"0" is not a port number', fix: '1 to 65535' },
  { name: 'an empty condition key', doc: policy([{ when: [{ key: '', values: ['x'] }] }]), path: 'spec.rules[0].when[0].key', says: 'the condition key is empty', fix: 'request.headers' },
  { name: 'PeerAuthentication port out of range', doc: istio('PeerAuthentication', { selector: { matchLabels: { app: 'a' } }, portLevelMtls: { 70000: { mode: 'DISABLE' } } }, 'pa', 'security.istio.io'), path: 'spec.portLevelMtls["70000"]', says: '"70000" is not a port number', fix: '1 to 65535' },
  { name: 'PeerAuthentication port-level mTLS without selector', doc: istio('PeerAuthentication', { portLevelMtls: { 8080: { mode: 'DISABLE' } } }, 'pa', 'security.istio.io'), path: 'spec.portLevelMtls', says: 'cannot set port-level mTLS', fix: 'add a selector' },
  { name: 'RequestAuthentication claim header with a space', doc: istio('RequestAuthentication', { jwtRules: [{ issuer: 'i', outputClaimToHeaders: [{ header: 'x sub', claim: 'sub' }] }] }, 'ra', 'security.istio.io'), path: 'spec.jwtRules[0].outputClaimToHeaders[0].header', says: 'not a header name Istio accepts', fix: 'x-jwt-sub' },
  { name: 'Telemetry provider without a name', doc: istio('Telemetry', { metrics: [{ providers: [{ name: '' }] }] }, 't', 'telemetry.istio.io'), path: 'spec.metrics[0].providers[0].name', says: 'the provider has no name', fix: 'prometheus' },
];

describe('security policy rules', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('identities Istio can match pass', () => {
    expectAccepted(from({
      principals: ['cluster.local/ns/shop/sa/frontend', 'example.org/ns/a/sa/b.c', '*', 'cluster.local/ns/shop/*', '*/sa/frontend'],
      namespaces: ['shop', '*', 'team-*', '*-prod'],
      ipBlocks: ['10.0.0.0/8', '192.168.0.1'],
    }));
    expectAccepted(policy([{ to: [{ operation: { ports: ['8080'], methods: ['GET'] } }] }]));
  });
});
