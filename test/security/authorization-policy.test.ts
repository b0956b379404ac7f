import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  AuthorizationAction, AuthorizationPolicy, Caller, ExtensionProvider, MeshConfigError, MeshInstall, MtlsMode, PeerAuthentication,
  RequestAuthentication,
  writeManifests,
} from '../../lib';
import { validateDocument } from '../../lib/analysis/schema';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, service, newChart, validationProblems } from '../support/constructs';
import { testApp } from '../support/temporary-folders';

const INGRESS_PRINCIPAL = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';

describe('AuthorizationPolicy rendering', () => {
  test('allowNothing renders exactly spec: {} named allow-nothing in the chart namespace', () => {
    const { chart } = newChart();
    const policy = AuthorizationPolicy.allowNothing(chart, 'DenyAll');
    expect(policy.name).toBe('allow-nothing');
    expect(policy.action).toBe(AuthorizationAction.ALLOW);
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'allow-nothing');
    expect(doc).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-nothing', namespace: 'shop' },
      spec: {},
    });
  });

  test('allowNothing takes a name and a namespace', () => {
    const { chart } = newChart();
    AuthorizationPolicy.allowNothing(chart, 'DenyAll', { name: 'deny-all', namespace: 'payments' });
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'deny-all');
    expect(doc.metadata.namespace).toBe('payments');
    expect(doc.spec).toEqual({});
  });

  test('an ALLOW policy with rules renders action: ALLOW, the selector and the rules', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    new AuthorizationPolicy(chart, 'reviews-viewer', {
      selector: reviews,
      rules: [{ from: [Caller.service(productpage)], to: [{ methods: ['GET'], paths: ['/reviews/*'] }] }],
    });
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-viewer');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }],
      }],
    });
  });

  test('a DENY policy with rules renders action: DENY and passes validation', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'deny-admin', {
      action: AuthorizationAction.DENY,
      rules: [{ to: [{ paths: ['/admin*'] }], when: [{ key: 'request.headers[x-debug]', values: ['1'] }] }],
    });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'deny-admin').spec).toEqual({
      action: 'DENY',
      rules: [{ to: [{ operation: { paths: ['/admin*'] } }], when: [{ key: 'request.headers[x-debug]', values: ['1'] }] }],
    });
  });

  test('addRule() appends rules after construction (so a DENY policy gets its rules later)', () => {
    const { app, chart } = newChart();
    const policy = new AuthorizationPolicy(chart, 'deny-ips', { action: AuthorizationAction.DENY });
    policy.addRule({ from: [{ ipBlocks: ['203.0.113.0/24'] }] });
    policy.addRule({ from: [{ remoteIpBlocks: ['198.51.100.7'] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'deny-ips').spec.rules).toEqual([
      { from: [{ source: { ipBlocks: ['203.0.113.0/24'] } }] },
      { from: [{ source: { remoteIpBlocks: ['198.51.100.7'] } }] },
    ]);
  });

  test('a CUSTOM policy renders provider {name}', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'ext-authz', {
      action: AuthorizationAction.CUSTOM,
      provider: 'opa',
      rules: [{ to: [{ paths: ['/api/*'] }] }],
    });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'ext-authz').spec).toEqual({
      action: 'CUSTOM',
      provider: { name: 'opa' },
      rules: [{ to: [{ operation: { paths: ['/api/*'] } }] }],
    });
  });

  test('a CUSTOM provider must be an external authorizer of the app\'s install; without an install it is not judged', () => {
    const custom = (withInstall: boolean, provider: string) => {
      const { app, chart } = newChart();
      if (withInstall) {
        new MeshInstall(new Chart(app, 'install'), 'istio', {
          meshConfig: {
            extensionProviders: [
              ExtensionProvider.externalAuthorizer('opa', { service: 'opa.opa.svc.cluster.local', port: 9191, grpc: true }),
              ExtensionProvider.zipkin('zipkin', { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 }),
            ],
          },
        });
      }
      new AuthorizationPolicy(chart, 'ext-authz', { action: AuthorizationAction.CUSTOM, provider, rules: [{ to: [{ paths: ['/api/*'] }] }] });
      return validationProblems(app);
    };
    expect(custom(true, 'opa')).toEqual([]);
    expect(custom(false, 'anything')).toEqual([]);
    expectProblem(custom(true, 'zipkin'), 'test/ext-authz', 'provider', '"zipkin" is not an external authorizer of the install (install/istio)',
      'deny every request', "ExtensionProvider.externalAuthorizer('zipkin'");
    expectProblem(custom(true, 'opa-typo'), 'test/ext-authz', 'provider', '"opa-typo" is not an external authorizer');
  });

  test('an external authorizer is written into meshConfig as envoyExtAuthzHttp or envoyExtAuthzGrpc', () => {
    const chart = new Chart(testApp(), 'install');
    new MeshInstall(chart, 'istio', {
      meshConfig: {
        extensionProviders: [
          ExtensionProvider.externalAuthorizer('http-authz', { service: 'authz.shop.svc.cluster.local', port: 8000 }),
          ExtensionProvider.externalAuthorizer('grpc-authz', { service: 'authz.shop.svc.cluster.local', port: 9000, grpc: true }),
        ],
      },
    });
    const [operator] = Testing.synth(chart);
    expect(validateDocument(operator)).toEqual([]);
    expect(operator.spec.meshConfig.extensionProviders).toEqual([
      { name: 'http-authz', envoyExtAuthzHttp: { service: 'authz.shop.svc.cluster.local', port: 8000 } },
      { name: 'grpc-authz', envoyExtAuthzGrpc: { service: 'authz.shop.svc.cluster.local', port: 9000 } },
    ]);
  });

  test('an AUDIT policy without rules keeps action: AUDIT', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'audit-all', { action: AuthorizationAction.AUDIT });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'audit-all').spec).toEqual({ action: 'AUDIT' });
  });

  test('targetRefs render with group defaulting to the empty string', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'waypoint', {
      targetRefs: [{ kind: 'Service', name: 'reviews' }, { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' }],
      rules: [{ from: [Caller.namespace('shop')] }],
    });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'waypoint').spec.targetRefs).toEqual([
      { group: '', kind: 'Service', name: 'reviews' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' },
    ]);
  });

  test('operation ports are rendered as strings', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'ports', { rules: [{ to: [{ ports: [9080, 15021], methods: ['GET'] }, { notPaths: ['/private*'] }] }] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'ports').spec.rules).toEqual([{
      to: [{ operation: { ports: ['9080', '15021'], methods: ['GET'] } }, { operation: { notPaths: ['/private*'] } }],
    }]);
  });

  test('raw sources render as given, serviceAccounts alone is fine', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'raw', {
      rules: [{
        from: [
          { serviceAccounts: ['shop/productpage'] },
          { principals: ['cluster.local/ns/shop/sa/a'], notNamespaces: ['test'] },
          { requestPrincipals: ['https://issuer.example.com/*'] },
        ],
      }],
    });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'raw').spec.rules[0].from).toEqual([
      { source: { serviceAccounts: ['shop/productpage'] } },
      { source: { principals: ['cluster.local/ns/shop/sa/a'], notNamespaces: ['test'] } },
      { source: { requestPrincipals: ['https://issuer.example.com/*'] } },
    ]);
  });

  test('a rule with neither from, to nor when renders as {} (matches every request)', () => {
    const { chart } = newChart();
    new AuthorizationPolicy(chart, 'allow-all', { rules: [{}] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'allow-all').spec).toEqual({ action: 'ALLOW', rules: [{}] });
  });
});

describe('operation ports name the workload\'s port, as Istio\'s sidecars and ztunnel match them', () => {
  test('a selected MeshService\'s Service port is written as its container port, in rules and in allowFrom; other numbers as given', () => {
    const { chart } = newChart();
    const api = service(chart, 'api', { ports: [{ port: 80, targetPort: 8080 }] });
    const web = service(chart, 'web');
    new AuthorizationPolicy(chart, 'api-calls', { selector: api, rules: [{ from: [Caller.service(web)], to: [{ ports: [80, 9100] }] }] });
    new AuthorizationPolicy(chart, 'by-labels', { selector: { app: 'legacy' }, rules: [{ to: [{ ports: [80] }] }] });
    api.allowFrom(web, { ports: [80] });
    const docs = docsOf(chart);
    const ports = (name: string) => findDoc(docs, 'AuthorizationPolicy', name).spec.rules.map((r: any) => r.to[0].operation.ports);
    expect(ports('api-calls')).toEqual([['8080', '9100']]);
    expect(ports('by-labels')).toEqual([['80']]);
    expect(ports('api-allow')).toEqual([['8080']]);
    expectSchemaValid(docs);
  });
});

describe('Caller rendering and validation', () => {
  test('Caller.service names the service account of the MeshService (custom name included)', () => {
    const { app, chart } = newChart();
    const details = service(chart, 'details', { serviceAccountName: 'bookinfo-details' });
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.service(details)] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'p').spec.rules[0].from)
      .toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/bookinfo-details'] } }]);
  });

  test('Caller.ingressGateway renders the gateway principal and is never flagged', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.ingressGateway()] }] });
    new AuthorizationPolicy(chart, 'q', { rules: [{ from: [Caller.ingressGateway('ingress', 'edge')] }] });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(findDoc(docs, 'AuthorizationPolicy', 'p').spec.rules[0].from).toEqual([{ source: { principals: [INGRESS_PRINCIPAL] } }]);
    expect(findDoc(docs, 'AuthorizationPolicy', 'q').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/ingress/sa/edge'] } }]);
  });

  test('Caller.namespace renders namespaces', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.namespace('monitoring')] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'p').spec.rules[0].from).toEqual([{ source: { namespaces: ['monitoring'] } }]);
  });

  test('Caller.serviceAccount for a ServiceAccount the app does not define fails validation', () => {
    const { app, chart } = newChart();
    service(chart, 'reviews');
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.ingressGateway(), Caller.serviceAccount('shop', 'ghost')] }] });
    const problems = validationProblems(app);
    expect(problems).toHaveLength(1);
    expectProblem(problems, 'test/p', 'rules[0].from[1].source', 'ServiceAccount shop/ghost is not defined in this app');
  });

  test('Caller.serviceAccount in the wrong namespace fails validation', () => {
    const { app, chart } = newChart();
    service(chart, 'reviews');
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.namespace('x')] }, { from: [Caller.serviceAccount('other', 'reviews')] }] });
    expectProblem(validationProblems(app), 'test/p', 'rules[1].from[0].source', 'ServiceAccount other/reviews');
  });

  test('Caller.serviceAccount for a MeshService\'s ServiceAccount passes and renders its principal', () => {
    const { app, chart } = newChart();
    const ratings = service(chart, 'ratings', { serviceAccountName: 'bookinfo-ratings' });
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.serviceAccount('shop', ratings.serviceAccountName)] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'p').spec.rules[0].from)
      .toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/bookinfo-ratings'] } }]);
  });

  test('Caller.serviceAccount for a plain ServiceAccount in another chart of the app passes', () => {
    const { app, chart } = newChart();
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    new k8s.KubeServiceAccount(ops, 'Runner', { metadata: { name: 'runner' } });
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.serviceAccount('ops', 'runner')] }] });
    expect(validationProblems(app)).toEqual([]);
  });

  test('the trust domain context changes every principal', () => {
    const { app, chart } = newChart('shop', { 'cdk8s-istio/trustDomain': 'example.org' });
    const reviews = service(chart, 'reviews');
    new AuthorizationPolicy(chart, 'p', {
      rules: [{ from: [Caller.service(reviews), Caller.serviceAccount('shop', 'reviews'), Caller.ingressGateway(), Caller.namespace('ops')] }],
    });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'p').spec.rules[0].from).toEqual([
      { source: { principals: ['example.org/ns/shop/sa/reviews'] } },
      { source: { principals: ['example.org/ns/shop/sa/reviews'] } },
      { source: { principals: ['example.org/ns/istio-system/sa/istio-ingressgateway-service-account'] } },
      { source: { namespaces: ['ops'] } },
    ]);
  });
});

describe('AuthorizationPolicy errors', () => {
  test('a DENY policy without rules fails validation with path, field rules and a fix', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'deny', { action: AuthorizationAction.DENY });
    const problems = validationProblems(app);
    expect(problems).toHaveLength(1);
    expectProblem(problems, 'test/deny', 'rules', 'a DENY policy without rules denies nothing');
  });

  test('writeManifests refuses to write and lists every problem', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'deny', { action: AuthorizationAction.DENY, rules: [] });
    new AuthorizationPolicy(chart, 'ghost', { rules: [{ from: [Caller.serviceAccount('shop', 'ghost')] }] });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-security-'));
    try {
      let message = '';
      try {
        writeManifests(app, { outdir });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('Synthesis failed with 2 problem(s)');
      expect(message).toContain('  - test/deny: rules: a DENY policy without rules denies nothing. Fix: ');
      expect(message).toContain('  - test/ghost: rules[0].from[0].source: ServiceAccount shop/ghost is not defined in this app');
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test.each([
    [AuthorizationAction.DENY, { methods: ['delete'] }, 'rules[0].to[0].operation.methods[0]',
      '"delete" never matches: Istio compares methods case-sensitively, and HTTP methods are upper case', 'write "DELETE"'],
    [AuthorizationAction.ALLOW, { notMethods: ['GET', 'po*'] }, 'rules[0].to[0].operation.notMethods[1]', '"po*" never matches', 'write "PO*"'],
    [AuthorizationAction.DENY, { methods: ['/shop.Orders/Cancel'] }, 'rules[0].to[0].operation.methods[0]',
      'is a gRPC method name, and methods match HTTP methods', 'grpc: ['],
    [AuthorizationAction.DENY, { paths: ['/health', 'admin/*'] }, 'rules[0].to[0].operation.paths[1]',
      '"admin/*" never matches: request paths start with "/"', 'write "/admin/*"'],
    [AuthorizationAction.AUDIT, { notPaths: [''] }, 'rules[0].to[0].operation.notPaths[0]', '"" never matches', 'write a path such as "/api/*"'],
    [AuthorizationAction.ALLOW, { paths: ['/api/*/items'] }, 'rules[0].to[0].operation.paths[0]',
      '"/api/*/items" matches only a path with a literal "*" in it', 'write "/api/{*}/items"'],
  ])('%s: an operation entry no request matches is refused (%j)', (action, operation, field, problem, fix) => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { action, rules: [{ to: [operation] }] }), 'test/p', field, problem, fix);
  });

  test('methods and paths every request form can match pass: upper case, wildcards, custom methods (KIA0102 judges those)', () => {
    const { app, chart } = newChart();
    new AuthorizationPolicy(chart, 'p', {
      action: AuthorizationAction.DENY,
      rules: [{ to: [{ methods: ['DELETE', 'P*', '*T', '*', 'PURGE'], paths: ['/admin/*', '*.php', '*', '/', '/api/{*}/items', '/static/{**}'], notPaths: ['/admin/health'] }] }],
    });
    expect(validationProblems(app)).toEqual([]);
  });

  test.each([['web', '"web"'], [['web'], 'a list'], [42, 'a number']])(
    'a selector given as %j (JavaScript or a cast) is refused by every policy kind, not written as labels "0", "1"...', (selector, given) => {
      const { chart } = newChart();
      const as = selector as unknown as Record<string, string>;
      const problem = `must be a MeshService or a map of pod labels, not ${given}`;
      expectMeshError(() => new AuthorizationPolicy(chart, 'ap', { action: AuthorizationAction.DENY, selector: as, rules: [{}] }),
        'test/ap', 'selector', problem, '{ app: "web" }');
      expectMeshError(() => new PeerAuthentication(chart, 'pa', { mode: MtlsMode.STRICT, selector: as }), 'test/pa', 'selector', problem);
      expectMeshError(() => new RequestAuthentication(chart, 'ra', { selector: as, jwtRules: [{ issuer: 'https://id.example.com' }] }),
        'test/ra', 'selector', problem);
    });

  test('a selector label value that is not a string is refused', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'ap', { selector: { app: 5 } as unknown as Record<string, string>, rules: [{}] }),
      'test/ap', 'selector.app', 'a label value must be a string, not a number', '{ app: "5" }');
  });

  test('CUSTOM without a provider throws', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'ext', { action: AuthorizationAction.CUSTOM, rules: [{}] }),
      'test/ext', 'provider', 'CUSTOM policy needs the external authorizer');
  });

  test.each([AuthorizationAction.ALLOW, AuthorizationAction.DENY, AuthorizationAction.AUDIT])('a provider on %s throws', action => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { action, provider: 'opa', rules: [{}] }),
      'test/p', 'provider', `not ${action}`);
  });

  test('selector together with targetRefs throws', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { selector: { app: 'reviews' }, targetRefs: [{ kind: 'Service', name: 'reviews' }] }),
      'test/p', 'targetRefs', 'cannot both be set');
  });

  test.each([
    ['principals', { principals: ['cluster.local/ns/shop/sa/a'] }],
    ['notPrincipals', { notPrincipals: ['cluster.local/ns/shop/sa/a'] }],
    ['namespaces', { namespaces: ['shop'] }],
    ['notNamespaces', { notNamespaces: ['shop'] }],
  ])('serviceAccounts combined with %s throws', (_name, extra) => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [{ ipBlocks: ['10.0.0.0/8'] }, { serviceAccounts: ['shop/a'], ...extra }] }] }),
      'test/p', 'rules[0].from[1].source.serviceAccounts', 'cannot be combined with principals or namespaces');
  });

  test.each([[0], [65536], [-80], [80.5]])('operation port %p throws', port => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ to: [{ paths: ['/'] }, { ports: [8080, port] }] }] }),
      'test/p', 'rules[0].to[1].operation.ports', `${port} is not a port number`);
  });

  test('addRule() errors name the index of the new rule', () => {
    const { chart } = newChart();
    const policy = new AuthorizationPolicy(chart, 'p', { rules: [{}] });
    expectMeshError(() => policy.addRule({ to: [{ ports: [70000] }] }), 'test/p', 'rules[1].to[0].operation.ports', '70000');
  });

  test('Caller.any() inside from with other callers throws', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.service(reviews), Caller.any()] }] }),
      'test/p', 'rules[0].from', 'Caller.any()');
  });

  test('an invalid name throws', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { name: 'Allow_All' }), 'test/p', 'name', '"Allow_All"');
  });

  test('a wildcard selector throws', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { selector: { app: '*' } }), 'test/p', 'selector.app', 'wildcards');
  });

  test('an empty selector throws', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'p', { selector: {} }), 'test/p', 'selector', 'empty selector');
  });
});

describe('AuthorizationPolicy schema', () => {
  test('representative policies are valid against the CRD (with CEL)', () => {
    const { chart } = newChart('shop', { 'cdk8s-istio/trustDomain': 'example.org' });
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    AuthorizationPolicy.allowNothing(chart, 'none');
    new AuthorizationPolicy(chart, 'reviews-viewer', {
      selector: reviews,
      rules: [
        { from: [Caller.service(productpage), Caller.ingressGateway(), Caller.namespace('ops')], to: [{ methods: ['GET'], paths: ['/reviews/*'], ports: [9080] }] },
        { from: [{ serviceAccounts: ['shop/productpage'] }], when: [{ key: 'request.auth.claims[groups]', values: ['admins'] }] },
      ],
    });
    new AuthorizationPolicy(chart, 'deny', { action: AuthorizationAction.DENY, rules: [{ from: [{ notRequestPrincipals: ['*'] }], to: [{ notPaths: ['/healthz'] }] }] });
    new AuthorizationPolicy(chart, 'ext', { action: AuthorizationAction.CUSTOM, provider: 'opa', rules: [{ to: [{ hosts: ['api.example.com'] }] }] });
    new AuthorizationPolicy(chart, 'audit', { action: AuthorizationAction.AUDIT });
    new AuthorizationPolicy(chart, 'gateway', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'edge' }], rules: [{}] });
    const docs = docsOf(chart);
    expect(docs.filter(d => d.kind === 'AuthorizationPolicy')).toHaveLength(6);
    expectSchemaValid(docs);
  });

  test('the L1 resource is the rendered object', () => {
    const { chart } = newChart();
    const policy = AuthorizationPolicy.allowNothing(chart, 'none');
    expect(policy.resource).toBeInstanceOf(ApiObject);
    expect(policy.resource.kind).toBe('AuthorizationPolicy');
    expect(policy.resource.metadata.name).toBe('allow-nothing');
  });
});

describe('guards against silent misconfiguration', () => {
  test('a rule with an empty from list is refused (it would allow every caller)', () => {
    const { chart } = newChart();
    const policy = new AuthorizationPolicy(chart, 'p', { selector: { app: 'reviews' } });
    let thrown: unknown;
    try {
      policy.addRule({ from: [] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MeshConfigError);
    expect((thrown as MeshConfigError).message).toContain('test/p: rules[0].from');
    expect((thrown as MeshConfigError).message).toContain('Fix:');
  });

  test('Caller.serviceAccount finds the ServiceAccount of a MeshService in a chart without namespace', () => {
    const { app, chart } = newChart();
    const plain = new Chart(app, 'plain');
    const legacy = service(plain, 'legacy');
    expect(legacy.namespace).toBe('default');
    new AuthorizationPolicy(chart, 'p', { rules: [{ from: [Caller.serviceAccount(legacy.namespace, legacy.serviceAccountName)] }] });
    expect(validationProblems(app)).toEqual([]);
  });
});
