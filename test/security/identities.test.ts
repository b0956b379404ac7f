import { App, Chart } from 'cdk8s';
import { AuthorizationPolicy, Caller, MeshService, MtlsMode, PeerAuthentication, RequestAuthentication, TRUST_DOMAIN_CONTEXT } from '../../lib';
import { docsOf, expectMeshError, findDoc, newApp, newChart, service } from '../support/constructs';

/** The `from` sources of the rendered policy. */
function sourcesOf(chart: Chart, name: string): unknown[] {
  return findDoc(docsOf(chart), 'AuthorizationPolicy', name).spec.rules.flatMap((r: any) => r.from.map((f: any) => f.source));
}

describe('Caller identities are names Kubernetes accepts', () => {
  test.each([
    ['Not A Namespace'], ['Shop'], ['shop_prod'], [''], ['-shop'], ['a'.repeat(64)],
  ])('Caller.namespace(%p) is refused with the field and a fix', namespace => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => orders.allowFrom(Caller.namespace(namespace)),
      'test/orders/AllowPolicy', 'rules[0].from[0].source.namespaces[0]', 'is not a namespace name', 'Fix: use the namespace\'s name');
  });

  test('a valid Caller.namespace renders the namespace', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    orders.allowFrom(Caller.namespace('frontend-2'));
    expect(sourcesOf(chart, 'orders-allow')).toEqual([{ namespaces: ['frontend-2'] }]);
  });

  test('Caller.serviceAccount and Caller.ingressGateway with invalid namespaces or names are refused', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => orders.allowFrom(Caller.serviceAccount('Shop', 'web')),
      'test/orders/AllowPolicy', 'rules[0].from[0].source.principals[0]', '"Shop" is not a namespace name');
    expectMeshError(() => orders.allowFrom(Caller.serviceAccount('shop', 'Web Front')),
      'test/orders/AllowPolicy', 'rules[0].from[0].source.principals[0]', '"Web Front" is not a ServiceAccount name');
    expectMeshError(() => orders.allowFrom(Caller.ingressGateway('istio system')),
      'test/orders/AllowPolicy', 'rules[0].from[0].source.principals[0]', '"istio system" is not a namespace name');
  });
});

describe('raw rule sources name identities that can match a workload', () => {
  test.each([
    ['orders', 'e.g. "cluster.local/ns/<namespace>/sa/orders"'],
    ['shop/orders', 'write <trust-domain>/ns/<namespace>/sa/<service-account>'],
    ['cluster.local/ns/shop/orders', 'write <trust-domain>/ns/<namespace>/sa/<service-account>'],
    ['cluster local/ns/shop/sa/orders', 'write <trust-domain>/ns/<namespace>/sa/<service-account>'],
    ['cluster.local/ns/Shop Prod/sa/orders', 'write <trust-domain>/ns/<namespace>/sa/<service-account>'],
    ['spiffe://cluster.local/ns/shop/sa/orders', 'without the spiffe:// scheme (Istio adds it): "cluster.local/ns/shop/sa/orders"'],
    ['cluster.local/ns/*/sa/orders', 'prefix/suffix wildcard'],
  ])('principal %p is refused', (principal, fix) => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ principals: [principal] }] }] }),
      'test/p', 'rules[0].from[0].source.principals[0]', 'is not a principal Istio can match', fix);
  });

  test.each([['Cluster.local/ns/shop/sa/orders'], ['EXAMPLE.ORG/*'], ['*/ns/Shop/sa/orders'], ['*Orders']])(
    'principal %p, with upper-case letters, is refused: it matches no workload', principal => {
      const { chart } = newChart();
      expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ notPrincipals: [principal] }] }] }),
        'test/p', 'rules[0].from[0].source.notPrincipals[0]', 'has upper-case letters, so it matches no workload',
        `write "${principal.toLowerCase()}"`);
    });

  test('notPrincipals are checked like principals', () => {
    const { chart } = newChart();
    const from = [{ notPrincipals: ['cluster.local/ns/shop/sa/web', 'web'] }];
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from }] }),
      'test/p', 'rules[0].from[0].source.notPrincipals[1]', '"web" is not a principal');
  });

  test('the fix suggests the trust domain set in the context', () => {
    const { chart } = newChart('shop', { [TRUST_DOMAIN_CONTEXT]: 'example.org' });
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ principals: ['orders'] }] }] }),
      'test/p', 'rules[0].from[0].source.principals[0]', '"example.org/ns/<namespace>/sa/orders"');
  });

  test('exact principals, "*" and prefix/suffix wildcards are accepted and rendered as given', () => {
    const { chart } = newChart();
    const principals = ['cluster.local/ns/shop/sa/web', '*', 'cluster.local/ns/shop/sa/*', '*/ns/shop/sa/web', 'example.org./ns/a/sa/b.c'];
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ principals }] }] });
    expect(sourcesOf(chart, 'p')).toEqual([{ principals }]);
  });

  test.each([['Not A Namespace'], ['shop*prod'], ['**'], ['Shop']])('namespace %p is refused', namespace => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ namespaces: [namespace] }] }] }),
      'test/p', 'rules[0].from[0].source.namespaces[0]', 'is not a namespace name or namespace wildcard', '"team-*"');
  });

  test('namespace names and wildcards are accepted; notNamespaces are checked too', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ namespaces: ['shop', 'team-*', '*-prod', '*'] }] }] });
    expect(sourcesOf(chart, 'p')).toEqual([{ namespaces: ['shop', 'team-*', '*-prod', '*'] }]);
    expectMeshError(() => new AuthorizationPolicy(chart, 'q', { rules: [{ from: [{ notNamespaces: ['bad ns'] }] }] }),
      'test/q', 'rules[0].from[0].source.notNamespaces[0]', '"bad ns"');
  });

  test.each([['orders'], ['shop/orders/extra'], ['Shop/orders'], ['shop/*']])('serviceAccounts entry %p is refused', account => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ serviceAccounts: [account] }] }] }),
      'test/p', 'rules[0].from[0].source.serviceAccounts[0]', 'is not a service account reference', '"shop/orders"');
  });

  test('a <namespace>/<name> serviceAccounts entry is accepted', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ serviceAccounts: ['shop/orders'] }] }] });
    expect(sourcesOf(chart, 'p')).toEqual([{ serviceAccounts: ['shop/orders'] }]);
  });
});

describe('the trust domain context is checked where it is read', () => {
  test.each([['cluster local'], ['cluster.local/ns'], ['-bad.example'], ['']])('trust domain %p is refused', domain => {
    const { chart } = newChart('shop', { [TRUST_DOMAIN_CONTEXT]: domain });
    const orders = service(chart, 'orders');
    const web = service(chart, 'web');
    expectMeshError(() => orders.allowFrom(web), 'test/orders/AllowPolicy', `context["${TRUST_DOMAIN_CONTEXT}"]`,
      'is not a trust domain Istio accepts', `app.node.setContext('${TRUST_DOMAIN_CONTEXT}', 'example.org')`);
  });

  test('a trust domain that is not a string is refused', () => {
    const app = new App();
    app.node.setContext(TRUST_DOMAIN_CONTEXT, 42);
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const orders = service(chart, 'orders');
    expectMeshError(() => orders.allowFrom(Caller.ingressGateway()), 'test/orders/AllowPolicy', `context["${TRUST_DOMAIN_CONTEXT}"]`, '42');
  });

  test('a trust domain with upper-case letters is refused: SPIFFE requires lower case, and Istio matches principals letter for letter', () => {
    const { chart } = newChart('shop', { [TRUST_DOMAIN_CONTEXT]: 'Mesh.Example.org' });
    const orders = service(chart, 'orders');
    expectMeshError(() => orders.allowFrom(service(chart, 'web')), 'test/orders/AllowPolicy', `context["${TRUST_DOMAIN_CONTEXT}"]`,
      '"Mesh.Example.org" has upper-case letters: a SPIFFE trust domain must be lower case',
      `use "mesh.example.org" here and as the mesh's trustDomain: app.node.setContext('${TRUST_DOMAIN_CONTEXT}', 'mesh.example.org')`);
  });

  test('a valid trust domain is written into the principals', () => {
    const { chart } = newChart('shop', { [TRUST_DOMAIN_CONTEXT]: 'mesh.example.org' });
    const orders = service(chart, 'orders');
    orders.allowFrom(service(chart, 'web'));
    expect(sourcesOf(chart, 'orders-allow')).toEqual([{ principals: ['mesh.example.org/ns/shop/sa/web'] }]);
  });
});

describe('identities of another cdk8s App are refused', () => {
  function otherAppService(): MeshService {
    const other = new Chart(newApp(), 'other', { namespace: 'shop' });
    return service(other, 'web');
  }

  test('allowFrom a MeshService of another App', () => {
    const { chart } = newChart();
    const orders = service(chart, 'orders');
    expectMeshError(() => orders.allowFrom(otherAppService()), 'test/orders/AllowPolicy', 'rules[0].from[0].source.principals[0]',
      'other/web belongs to another cdk8s App', 'create the workload in the same App as the policy');
  });

  test('Caller.service of another App in a raw policy, and a MeshService of another App as selector', () => {
    const { chart } = newChart();
    const foreign = otherAppService();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.service(foreign)] }] }),
      'test/p', 'rules[0].from[0].source.principals[0]', 'belongs to another cdk8s App');
    expectMeshError(() => new AuthorizationPolicy(chart, 'q', { selector: foreign }), 'test/q', 'selector', 'belongs to another cdk8s App');
    const jwtRules = [{ issuer: 'https://issuer.example.com' }];
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { selector: foreign, jwtRules }),
      'test/jwt', 'selector', 'belongs to another cdk8s App');
    expectMeshError(() => new PeerAuthentication(chart, 'mtls', { selector: foreign, mode: MtlsMode.STRICT }),
      'test/mtls', 'selector', 'belongs to another cdk8s App');
  });

  test('a MeshService of the same App in another chart is accepted', () => {
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'web' });
    const orders = service(a, 'orders');
    orders.allowFrom(service(b, 'web'));
    expect(sourcesOf(a, 'orders-allow')).toEqual([{ principals: ['cluster.local/ns/web/sa/web'] }]);
  });
});
