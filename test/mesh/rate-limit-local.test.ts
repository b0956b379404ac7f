import { App, Chart, Duration } from 'cdk8s';
import {
  Gateway, GatewayProtocol, GlobalRateLimit, LocalRateLimit, MeshEnrollment, MeshNamespace, MeshService, PortProtocol, RateLimitService,
  RateLimitTarget, RateLimitUnit, Waypoint, synthesize,
} from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';
import { readReference, testNeeding } from '../support/reference';

const parityTest = testNeeding('reference/istio/samples/ratelimit/local-rate-limit-service.yaml');
const minute = Duration.minutes(1);

describe('LocalRateLimit', () => {
  parityTest('reproduces samples/ratelimit/local-rate-limit-service.yaml field for field (productpage: 100/min, /productpage 10/min)', () => {
    // The sample's EnvoyFilter sits in istio-system and patches the productpage pods' port 8000.
    const { chart } = newChart('istio-system');
    const productpage = service(chart, 'productpage', { port: 8000 });
    new LocalRateLimit(chart, 'limit', {
      name: 'filter-local-ratelimit-svc',
      target: productpage,
      statPrefix: 'test_enabled',
      bucket: { maxTokens: 100, tokensPerFill: 100, fillInterval: minute },
      descriptors: [{ name: 'productpage', pathPrefix: '/productpage', bucket: { maxTokens: 10, fillInterval: minute } }],
    });
    const [upstream] = readReference('istio/samples/ratelimit/local-rate-limit-service.yaml');
    expect(findDoc(docsOf(chart), 'EnvoyFilter', 'filter-local-ratelimit-svc')).toEqual(upstream);
  });

  test('without descriptors it limits every inbound request of the service, and is valid against the EnvoyFilter CRD', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const limit = new LocalRateLimit(chart, 'limit', {
      target: reviews,
      bucket: { maxTokens: 50, tokensPerFill: 10, fillInterval: Duration.seconds(1) },
      status: 503,
      rateLimitHeaders: false,
    });
    const docs = docsOf(chart);
    const filter = findDoc(docs, 'EnvoyFilter', 'reviews-local-ratelimit');
    expect(limit.name).toBe('reviews-local-ratelimit');
    expect(filter.metadata.namespace).toBe('shop');
    expect(filter.spec.workloadSelector).toEqual({ labels: { app: 'reviews' } });
    const [insert, route] = filter.spec.configPatches;
    expect(insert.match.context).toBe('SIDECAR_INBOUND');
    expect(route.match.routeConfiguration).toEqual({ vhost: { name: 'inbound|http|9080', route: { action: 'ANY' } } });
    expect(route.patch.value).toEqual({
      typed_per_filter_config: {
        'envoy.filters.http.local_ratelimit': {
          '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
          'stat_prefix': 'http_local_rate_limiter',
          'token_bucket': { max_tokens: 50, tokens_per_fill: 10, fill_interval: '1s' },
          'filter_enabled': { runtime_key: 'http_local_rate_limiter', default_value: { numerator: 100, denominator: 'HUNDRED' } },
          'filter_enforced': { runtime_key: 'http_local_rate_limiter', default_value: { numerator: 100, denominator: 'HUNDRED' } },
          'status': { code: 503 },
          'response_headers_to_add': [{ append: false, header: { key: 'x-local-rate-limit', value: 'true' } }],
        },
      },
    });
    expectSchemaValid(docs);
  });

  test('on an ingress Gateway it patches the gateway pods in istio-system, on the routes of that Gateway only', () => {
    const { chart } = newChart('bookinfo');
    const gateway = new Gateway(chart, 'bookinfo-gateway', { servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    new LocalRateLimit(chart, 'ingress-limit', { target: gateway, bucket: { maxTokens: 1000, fillInterval: minute } });
    const docs = docsOf(chart);
    const filter = findDoc(docs, 'EnvoyFilter', 'bookinfo-gateway-local-ratelimit');
    expect(filter.metadata.namespace).toBe('istio-system');
    expect(filter.spec.workloadSelector).toEqual({ labels: { istio: 'ingressgateway' } });
    expect(filter.spec.configPatches.map((p: any) => p.match.context)).toEqual(['GATEWAY', 'GATEWAY']);
    expect(filter.spec.configPatches[1].match.routeConfiguration).toEqual({ gateway: 'bookinfo/bookinfo-gateway', vhost: { route: { action: 'ANY' } } });
    expectSchemaValid(docs);
  });

  test.each([
    [undefined, ['IST0151 EnvoyFilter/shop/web-local-ratelimit spec.configPatches[0].patch.operation']],
    [10, []],
  ])('an app with a rate-limited service synthesizes; with priority %s the analysis finds %j', (priority, found) => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'example/web:1.0' } } });
    new LocalRateLimit(chart, 'limit', {
      target: web,
      bucket: { maxTokens: 20, fillInterval: Duration.seconds(10) },
      priority,
      descriptors: [{ name: 'login', pathPrefix: '/login', bucket: { maxTokens: 2, fillInterval: Duration.seconds(10) } }],
    });
    const messages = synthesize(app).messages;
    expect(messages.map(m => `${m.code} ${m.resource.kind}/${m.resource.namespace}/${m.resource.name} ${m.field}`)).toEqual(found);
  });

  test('refuses what Envoy or Istio would reject, with the field and the fix', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const two = service(chart, 'two', { ports: [{ port: 80, protocol: PortProtocol.HTTP }, { port: 81, protocol: PortProtocol.HTTP, name: 'http-81' }] });
    const ok = { maxTokens: 1, fillInterval: minute };
    expectMeshError(() => new LocalRateLimit(chart, 'a', { target: two, bucket: ok }), 'test/a', 'port', '2 ports');
    expectMeshError(() => new LocalRateLimit(chart, 'b', { target: reviews, port: 80, bucket: ok }), 'test/b', 'port', 'not a port');
    const cache = service(chart, 'cache', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }] });
    expectMeshError(() => new LocalRateLimit(chart, 'b2', { target: cache, bucket: ok }), 'test/b2', 'port', 'port 6379 of MeshService test/cache is redis',
      'HTTP, HTTP/2 or gRPC');
    expectMeshError(() => new LocalRateLimit(chart, 'c', { target: reviews, bucket: { maxTokens: 0, fillInterval: minute } }),
      'test/c', 'bucket.maxTokens', 'positive integer');
    expectMeshError(() => new LocalRateLimit(chart, 'c2', { target: reviews, bucket: { maxTokens: 2 ** 32, fillInterval: minute } }),
      'test/c2', 'bucket.maxTokens', 'uint32');
    expectMeshError(() => new LocalRateLimit(chart, 'd', { target: reviews, bucket: { maxTokens: 1, tokensPerFill: 2, fillInterval: minute } }),
      'test/d', 'bucket.tokensPerFill', 'exceed');
    expectMeshError(() => new LocalRateLimit(chart, 'e', { target: reviews, bucket: { maxTokens: 1, fillInterval: Duration.millis(10) } }),
      'test/e', 'bucket.fillInterval', '50ms');
    expectMeshError(() => new LocalRateLimit(chart, 'f', { target: reviews, bucket: ok, status: 200 }), 'test/f', 'status', 'error status');
    expectMeshError(() => new LocalRateLimit(chart, 'f418', { target: reviews, bucket: ok, status: 418 }), 'test/f418', 'status', 'Envoy knows');
    expectMeshError(() => new LocalRateLimit(chart, 'fstr', { target: reviews, bucket: ok, status: '429' as unknown as number }),
      'test/fstr', 'status', '"429" is not');
    expectMeshError(() => new LocalRateLimit(chart, 'g0', { target: reviews, bucket: ok, descriptors: [{ name: '', pathPrefix: '/a', bucket: ok }] }),
      'test/g0', 'descriptors[0].name', 'empty descriptor');
    expectMeshError(() => new LocalRateLimit(chart, 'g', { target: reviews, bucket: ok, descriptors: [{ name: 'x', pathPrefix: 'x', bucket: ok }] }),
      'test/g', 'descriptors[0].pathPrefix', 'not a path');
    expectMeshError(() => new LocalRateLimit(chart, 'h', {
      target: reviews, bucket: ok, descriptors: [{ name: 'x', pathPrefix: '/a', bucket: ok }, { name: 'x', pathPrefix: '/b', bucket: ok }],
    }), 'test/h', 'descriptors[1].name', 'twice');
    expectMeshError(() => new LocalRateLimit(chart, 'i', { target: reviews, bucket: ok, responseHeaders: { ':status': '1' } }),
      'test/i', 'responseHeaders.:status', 'not a header name');
    expectMeshError(() => new LocalRateLimit(chart, 'j', { target: reviews, bucket: ok, statPrefix: 'has space' }), 'test/j', 'statPrefix');
  });

  test('a service in an ambient namespace is refused: no sidecar to patch, and Istio applies no EnvoyFilter to waypoints', () => {
    const { app, chart } = newChart('ambient-shop');
    new MeshNamespace(chart, 'ambient-shop', { enrollment: MeshEnrollment.AMBIENT });
    const reviews = service(chart, 'reviews');
    new LocalRateLimit(chart, 'limit', { target: reviews, bucket: { maxTokens: 1, fillInterval: minute } });
    expectProblem(validationProblems(app), 'test/limit', 'target', 'ambient namespace ambient-shop', 'at the ingress Gateway');
  });

  test('a waypoint is refused as a target, for the local and the global limit', () => {
    const { chart } = newChart('ambient-shop');
    new MeshNamespace(chart, 'ambient-shop', { enrollment: MeshEnrollment.AMBIENT });
    const waypoint = new Waypoint(chart, 'waypoint');
    const bucket = { maxTokens: 1, fillInterval: minute };
    // A Waypoint is no RateLimitTarget by type; a JavaScript caller (or a cast) can still pass one.
    const target = waypoint as unknown as RateLimitTarget;
    expectMeshError(() => new LocalRateLimit(chart, 'local', { target, bucket }), 'test/local', 'target', 'is a waypoint');
    const rls = new RateLimitService(chart, 'rls');
    expectMeshError(() => new GlobalRateLimit(chart, 'global', { service: rls, target, otherPaths: { requests: 1, unit: RateLimitUnit.MINUTE } }),
      'test/global', 'target', 'is a waypoint');
  });
});
