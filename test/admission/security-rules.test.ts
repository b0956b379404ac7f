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
  { name: 'a condition on an attribute Istio does not know', doc: policy([{ when: [{ key: 'request.bogus', values: ['x'] }] }]), path: 'spec.rules[0].when[0].key', says: '"request.bogus" is not an attribute an AuthorizationPolicy condition can test', fix: 'request.headers[<name>]' },
  { name: 'destination.namespace (not a condition attribute)', doc: policy([{ when: [{ key: 'destination.namespace', values: ['shop'] }] }]), path: 'spec.rules[0].when[0].key', says: 'is not an attribute', fix: 'source.namespace' },
  { name: 'a header condition without a header name', doc: policy([{ when: [{ key: 'request.headers[]', values: ['x'] }] }]), path: 'spec.rules[0].when[0].key', says: 'is not an attribute', fix: 'request.headers[<name>]' },
  { name: 'an empty condition value', doc: policy([{ when: [{ key: 'request.headers[x-env]', values: ['prod', ''] }] }]), path: 'spec.rules[0].when[0].values[1]', says: 'an empty value matches nothing', fix: 'remove the empty entry' },
  { name: 'a source.ip condition that is no IP', doc: policy([{ when: [{ key: 'source.ip', values: ['not-an-ip'] }] }]), path: 'spec.rules[0].when[0].values[0]', says: '"not-an-ip" is not an IP address or CIDR block', fix: '10.0.0.0/16' },
  { name: 'a destination.port condition with a port name', doc: policy([{ when: [{ key: 'destination.port', notValues: ['http'] }] }]), path: 'spec.rules[0].when[0].notValues[0]', says: '"http" is not a port number', fix: '1 to 65535' },
  { name: 'an empty method', doc: policy([{ to: [{ operation: { methods: [''] } }] }]), path: 'spec.rules[0].to[0].operation.methods[0]', says: 'an empty value matches nothing', fix: 'remove the empty entry' },
  { name: 'an empty host in an operation', doc: policy([{ to: [{ operation: { hosts: [''] } }] }]), path: 'spec.rules[0].to[0].operation.hosts[0]', says: 'an empty value matches nothing', fix: 'remove' },
  { name: 'an empty source namespace', doc: from({ namespaces: [''] }), path: `${S}.namespaces[0]`, says: 'an empty value matches nothing', fix: 'remove' },
  { name: 'a path with a named parameter', doc: policy([{ to: [{ operation: { paths: ['/api/{id}/orders'] } }] }]), path: 'spec.rules[0].to[0].operation.paths[0]', says: '"/api/{id}/orders" is not a valid path template', fix: '{*}' },
  { name: 'a {**} before a {*}', doc: policy([{ to: [{ operation: { notPaths: ['/a/{**}/{*}'] } }] }]), path: 'spec.rules[0].to[0].operation.notPaths[0]', says: 'is not a valid path template', fix: '{**} for the rest' },
  { name: 'a policy targeting a Deployment', doc: istio('AuthorizationPolicy', { targetRefs: [{ group: 'apps', kind: 'Deployment', name: 'api' }], action: 'DENY', rules: [{}] }, 'p', 'security.istio.io'), path: 'spec.targetRefs[0].kind', says: 'a policy cannot target apps/Deployment', fix: 'use a selector' },
  { name: 'a RequestAuthentication targeting a Pod', doc: istio('RequestAuthentication', { targetRef: { kind: 'Pod', name: 'api' }, jwtRules: [{ issuer: 'i' }] }, 'ra', 'security.istio.io'), path: 'spec.targetRef.kind', says: 'a policy cannot target Pod', fix: 'ServiceEntry' },
  { name: 'inline JWKS that is no key set', doc: istio('RequestAuthentication', { jwtRules: [{ issuer: 'i', jwks: '{"foo":1}' }] }, 'ra', 'security.istio.io'), path: 'spec.jwtRules[0].jwks', says: 'key 0 of the key set has no "kty"', fix: '{"keys":[{"kty":"RSA"' },
  { name: 'a Telemetry access log filter that is not CEL', doc: istio('Telemetry', { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= >= 400' } }] }, 't', 'telemetry.istio.io'), path: 'spec.accessLogging[0].filter.expression', says: 'the filter is not a CEL expression', fix: 'response.code >= 400' },
  { name: 'a Telemetry targeting a Namespace', doc: istio('Telemetry', { targetRefs: [{ kind: 'Namespace', name: 'shop' }] }, 't', 'telemetry.istio.io'), path: 'spec.targetRefs[0].kind', says: 'a policy cannot target Namespace', fix: 'Gateway' },
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
    expectAccepted(policy([{ to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/api/{*}/orders', '/static/{**}', '/exact'] } }] }]));
    expectAccepted(policy([{
      when: [
        { key: 'request.headers[x-env]', values: ['prod'] }, { key: 'request.auth.claims[groups]', values: ['admin'] },
        { key: 'source.ip', values: ['10.0.0.0/8'] }, { key: 'destination.port', values: ['8080'] }, { key: 'connection.sni', values: ['a.example.com'] },
      ],
    }]));
    expectAccepted(istio('AuthorizationPolicy', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }, { kind: 'Service', group: '', name: 'api' }], rules: [{}] }, 'p', 'security.istio.io'));
    expectAccepted(istio('Telemetry', { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }] }, 't', 'telemetry.istio.io'));
  });
});
