import { Chart } from 'cdk8s';
import { AuthorizationAction, Caller, MeshConfigError, PortProtocol } from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, ofKind, service, newChart, validationProblems } from '../support/constructs';

describe('MeshService.allowFrom', () => {
  test('allows a caller MeshService by its principal in an ALLOW policy named <svc>-allow selecting the service', () => {
    const { app, chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    const policy = reviews.allowFrom(productpage);
    expect(policy.name).toBe('reviews-allow');
    expect(policy.action).toBe(AuthorizationAction.ALLOW);
    expect(validationProblems(app)).toEqual([]);
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow');
    expect(doc.metadata).toEqual({ name: 'reviews-allow', namespace: 'shop' });
    expect(doc.spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }] }],
    });
  });

  test('the principal uses the caller\'s service account name, not its service name', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage', { serviceAccountName: 'bookinfo-productpage' });
    reviews.allowFrom(productpage);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec.rules[0].from)
      .toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/bookinfo-productpage'] } }]);
  });

  test('a caller in another chart namespace is named with its own namespace', () => {
    const { app, chart } = newChart();
    const frontendChart = new Chart(app, 'frontend', { namespace: 'web' });
    const reviews = service(chart, 'reviews');
    const web = service(frontendChart, 'web');
    reviews.allowFrom(web);
    expect(validationProblems(app)).toEqual([]);
    const doc = findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/web/sa/web'] } }] }]);
    expect(ofKind(docsOf(frontendChart), 'AuthorizationPolicy')).toEqual([]);
  });

  test('several callers in one call make one rule with one source each', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    const ratings = service(chart, 'ratings');
    reviews.allowFrom([productpage, ratings, Caller.ingressGateway()]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec.rules).toEqual([{
      from: [
        { source: { principals: ['cluster.local/ns/shop/sa/productpage'] } },
        { source: { principals: ['cluster.local/ns/shop/sa/ratings'] } },
        { source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } },
      ],
    }]);
  });

  test('several calls accumulate rules in the one policy (and return it)', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    const first = reviews.allowFrom(productpage, { methods: ['GET'] });
    const second = reviews.allowFrom(Caller.namespace('monitoring'), { paths: ['/metrics'] });
    const third = reviews.allowFrom(Caller.ingressGateway(), { ports: [9080] });
    expect(second).toBe(first);
    expect(third).toBe(first);
    const docs = docsOf(chart);
    expect(ofKind(docs, 'AuthorizationPolicy')).toHaveLength(1);
    expect(findDoc(docs, 'AuthorizationPolicy', 'reviews-allow').spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }], to: [{ operation: { methods: ['GET'] } }] },
      { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { paths: ['/metrics'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }], to: [{ operation: { ports: ['9080'] } }] },
    ]);
  });

  test('methods, paths and ports together become one to.operation (ports as strings)', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    reviews.allowFrom(productpage, { methods: ['GET', 'HEAD'], paths: ['/reviews/*'], ports: [9080] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec.rules[0].to)
      .toEqual([{ operation: { methods: ['GET', 'HEAD'], paths: ['/reviews/*'], ports: ['9080'] } }]);
  });

  test('a path no request has, or a method in lower case, is refused under allowFrom\'s own field', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    expectMeshError(() => reviews.allowFrom(productpage, { paths: ['api/*'] }), 'test/reviews', 'allowFrom.paths[0]', 'request paths start with "/"',
      'write "/api/*"');
    expectMeshError(() => reviews.allowFrom(productpage, { methods: ['get'] }), 'test/reviews', 'allowFrom.methods[0]', 'write "GET"');
  });

  test('policyName overrides the name; later calls without it (or with the same) reuse the policy', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    const ratings = service(chart, 'ratings');
    const policy = reviews.allowFrom(productpage, { policyName: 'reviews-callers' });
    expect(reviews.allowFrom(ratings)).toBe(policy);
    expect(reviews.allowFrom(Caller.ingressGateway(), { policyName: 'reviews-callers' })).toBe(policy);
    const docs = docsOf(chart);
    expect(ofKind(docs, 'AuthorizationPolicy').map(d => d.metadata.name)).toEqual(['reviews-callers']);
    expect(findDoc(docs, 'AuthorizationPolicy', 'reviews-callers').spec.rules).toHaveLength(3);
  });

  test('a conflicting policyName on a later call throws', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    reviews.allowFrom(productpage);
    expectMeshError(() => reviews.allowFrom(productpage, { policyName: 'other' }),
      'test/reviews', 'allowFrom.policyName', 'already named "reviews-allow"');
  });

  test('Caller.any() produces a rule without from', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    reviews.allowFrom(Caller.any(), { paths: ['/health'] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec.rules).toEqual([{ to: [{ operation: { paths: ['/health'] } }] }]);
  });

  test('Caller.any() alone without options produces an empty rule (allow every request)', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    reviews.allowFrom(Caller.any());
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      action: 'ALLOW',
      rules: [{}],
    });
  });

  test('a port the service does not have throws with the service path and field', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const productpage = service(chart, 'productpage');
    reviews.allowFrom(productpage);
    expectMeshError(() => reviews.allowFrom(productpage, { ports: [0] }),
      'test/reviews', 'allowFrom.ports[0]', '0 is not a port of this service (it has 9080)');
  });

  test('Service ports are written as the container ports Istio matches', () => {
    const { chart } = newChart();
    const vote = service(chart, 'vote', { ports: [{ port: 8080, targetPort: 80 }] });
    const gateway = service(chart, 'gateway');
    const policy = vote.allowFrom(gateway, { ports: [8080] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', policy.name).spec.rules[0].to).toEqual([{ operation: { ports: ['80'] } }]);
  });

  test('methods or paths on a service without an HTTP port throw (Istio would deny the TCP calls)', () => {
    const { chart } = newChart();
    const redis = service(chart, 'redis', { ports: [{ port: 6379, protocol: PortProtocol.TCP, name: 'tcp-redis' }] });
    const worker = service(chart, 'worker');
    expectMeshError(() => redis.allowFrom(worker, { methods: ['GET'] }), 'test/redis', 'allowFrom.methods', 'no HTTP port');
    expect(() => redis.allowFrom(worker, { ports: [6379] })).not.toThrow();
  });

  test('Caller.serviceAccount of an unknown account is reported at synthesis with the policy path', () => {
    const { app, chart } = newChart();
    const reviews = service(chart, 'reviews');
    reviews.allowFrom([Caller.ingressGateway(), Caller.serviceAccount('shop', 'nobody')]);
    const problems = validationProblems(app);
    expect(problems).toHaveLength(1);
    expectProblem(problems, 'test/reviews/AllowPolicy', 'rules[0].from[1].source', 'ServiceAccount shop/nobody');
  });

  test('the trust domain context applies to allowFrom principals', () => {
    const { app, chart } = newChart('shop', { 'cdk8s-istio/trustDomain': 'example.org' });
    const other = new Chart(app, 'other', { namespace: 'web' });
    const reviews = service(chart, 'reviews');
    reviews.allowFrom([service(chart, 'productpage'), service(other, 'web')]);
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'reviews-allow').spec.rules[0].from).toEqual([
      { source: { principals: ['example.org/ns/shop/sa/productpage'] } },
      { source: { principals: ['example.org/ns/web/sa/web'] } },
    ]);
  });

  test('the policies are valid against the CRD (with CEL)', () => {
    const { app, chart } = newChart();
    const other = new Chart(app, 'other', { namespace: 'web' });
    const reviews = service(chart, 'reviews');
    const ratings = service(chart, 'ratings');
    reviews.allowFrom([service(chart, 'productpage'), service(other, 'web')], { methods: ['GET'], paths: ['/reviews/*'], ports: [9080] });
    reviews.allowFrom(Caller.namespace('monitoring'), { paths: ['/metrics'] });
    ratings.allowFrom(Caller.any(), { policyName: 'ratings-open' });
    expect(validationProblems(app)).toEqual([]);
    expectSchemaValid([...docsOf(chart), ...docsOf(other)]);
  });

  test('allowFrom([]) is refused instead of allowing every caller', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    let thrown: unknown;
    try {
      reviews.allowFrom([]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MeshConfigError);
    expect((thrown as MeshConfigError).message).toContain('test/reviews');
    expect((thrown as MeshConfigError).message).toContain('Fix:');
  });
});
