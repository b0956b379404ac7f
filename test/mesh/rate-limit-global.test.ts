import { App, Chart, Duration } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  Caller, Destination, Gateway, GatewayProtocol, GlobalRateLimit, MeshNamespace, MeshService, PortProtocol, RateLimitService, RateLimitUnit,
  RoutingApi, VirtualService, synthesize,
} from '../../lib';
import { Doc, docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';
import { readReference, testNeeding } from '../support/reference';

const parityTest = testNeeding('reference/istio/samples/ratelimit/rate-limit-service.yaml');
const perMinute = (requests: number) => ({ requests, unit: RateLimitUnit.MINUTE });

/** The Bookinfo-like app of Istio's global rate limit task: the ingress gateway limited by path. */
function globalApp(): { app: App; chart: Chart; docs: () => Doc[] } {
  const app = new App();
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  new MeshNamespace(chart, 'bookinfo');
  const gateway = new Gateway(chart, 'bookinfo-gateway', { servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
  const productpage = new MeshService(chart, 'productpage', { port: 9080, versions: { v1: { image: 'example/productpage:1' } } });
  productpage.allowFrom(Caller.ingressGateway());
  new VirtualService(chart, 'bookinfo-route', { hosts: ['*'], gateways: [gateway], http: [{ to: [Destination.toService(productpage)] }] });
  const rls = new RateLimitService(chart, 'rate-limit');
  new GlobalRateLimit(chart, 'limit', {
    service: rls,
    target: gateway,
    name: 'filter-ratelimit',
    domain: 'ratelimit',
    priority: 10,
    paths: { '/productpage': perMinute(1) },
    otherPaths: perMinute(100),
  });
  return { app, chart, docs: () => docsOf(chart) };
}

describe('RateLimitService and GlobalRateLimit', () => {
  parityTest('the service is samples/ratelimit/rate-limit-service.yaml: redis and ratelimit Services and Deployments, images, ports, command, env, config volume', () => {
    const ours = globalApp().docs();
    const upstream = readReference('istio/samples/ratelimit/rate-limit-service.yaml');
    for (const ref of upstream) {
      const doc = findDoc(ours, ref.kind, ref.metadata.name);
      expect(doc.metadata.labels).toEqual(expect.objectContaining(ref.metadata.labels ?? {}));
      if (ref.kind === 'Service') {
        expect(doc.spec.selector).toEqual(ref.spec.selector);
        const ports = (p: any[]) => p.map(({ name, port, targetPort }) => ({ name, port, targetPort: targetPort ?? port }));
        expect(ports(doc.spec.ports)).toEqual(ports(ref.spec.ports));
        continue;
      }
      expect(doc.spec.replicas ?? 1).toBe(ref.spec.replicas);
      expect(doc.spec.selector).toEqual(ref.spec.selector);
      const [ourPod, refPod] = [doc.spec.template.spec, ref.spec.template.spec];
      expect(ourPod.volumes ?? []).toEqual(refPod.volumes ?? []);
      const [c, r] = [ourPod.containers[0], refPod.containers[0]];
      const shape = (x: any) => ({
        name: x.name, image: x.image, imagePullPolicy: x.imagePullPolicy, command: x.command, volumeMounts: x.volumeMounts ?? [],
      });
      expect(shape(c)).toEqual(shape(r));
      const byName = (env: any[] = []) => [...env].sort((a, b) => a.name.localeCompare(b.name));
      expect(byName(c.env)).toEqual(byName(r.env));
      expect(c.ports.map((p: any) => p.containerPort)).toEqual(r.ports.map((p: any) => p.containerPort));
    }
  });

  test('the ConfigMap ratelimit-config holds the domain\'s descriptors, as the comment of rate-limit-service.yaml shows', () => {
    const config = findDoc(globalApp().docs(), 'ConfigMap', 'ratelimit-config');
    expect(Object.keys(config.data)).toEqual(['ratelimit.yaml']);
    expect(yaml.load(config.data['ratelimit.yaml'])).toEqual({
      domain: 'ratelimit',
      descriptors: [
        { key: 'PATH', value: '/productpage', rate_limit: { unit: 'minute', requests_per_unit: 1 } },
        { key: 'PATH', rate_limit: { unit: 'minute', requests_per_unit: 100 } },
      ],
    });
  });

  test('the EnvoyFilters of Istio\'s global rate limit task: the ratelimit filter before the router, the PATH descriptor on the gateway\'s routes', () => {
    const docs = globalApp().docs();
    const filter = findDoc(docs, 'EnvoyFilter', 'filter-ratelimit');
    expect(filter.metadata.namespace).toBe('istio-system');
    expect(filter.spec).toEqual({
      workloadSelector: { labels: { istio: 'ingressgateway' } },
      priority: 10,
      configPatches: [{
        applyTo: 'HTTP_FILTER',
        match: {
          context: 'GATEWAY',
          listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } },
        },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.ratelimit',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit',
              'domain': 'ratelimit',
              'failure_mode_deny': true,
              'timeout': '10s',
              'rate_limit_service': {
                grpc_service: {
                  envoy_grpc: { cluster_name: 'outbound|8081||ratelimit.bookinfo.svc.cluster.local', authority: 'ratelimit.bookinfo.svc.cluster.local' },
                },
                transport_api_version: 'V3',
              },
            },
          },
        },
      }],
    });
    const actions = findDoc(docs, 'EnvoyFilter', 'filter-ratelimit-svc');
    expect(actions.spec.configPatches).toEqual([{
      applyTo: 'VIRTUAL_HOST',
      match: { context: 'GATEWAY', routeConfiguration: { gateway: 'bookinfo/bookinfo-gateway' } },
      patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }] }] } },
    }]);
  });

  test('only the rate-limiting proxies may call the service\'s gRPC port, and only the service may call Redis', () => {
    const docs = globalApp().docs();
    const allow = (name: string) => findDoc(docs, 'AuthorizationPolicy', name).spec;
    expect(allow('ratelimit-allow')).toEqual({
      selector: { matchLabels: { app: 'ratelimit' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }], to: [{ operation: { ports: ['8081'] } }] }],
    });
    expect(allow('redis-allow').rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/bookinfo/sa/ratelimit'] } }], to: [{ operation: { ports: ['6379'] } }] },
    ]);
  });

  test('the app synthesizes: schema, admission and analysis clean', () => {
    const { app } = globalApp();
    expect(synthesize(app).messages.map(m => `${m.code} ${m.resource.kind}/${m.resource.name} ${m.field}`)).toEqual([]);
  });

  test('on a MeshService the sidecar limits its inbound requests and the service\'s own identity may call the rate limit service', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    const rls = new RateLimitService(chart, 'rls');
    new GlobalRateLimit(chart, 'limit', { service: rls, target: reviews, otherPaths: perMinute(10), failureModeDeny: false, timeout: Duration.millis(250) });
    const docs = docsOf(chart);
    const filter = findDoc(docs, 'EnvoyFilter', 'reviews-ratelimit');
    expect(filter.metadata.namespace).toBe('shop');
    expect(filter.spec.workloadSelector).toEqual({ labels: { app: 'reviews' } });
    expect(filter.spec.configPatches[0].patch.value.typed_config).toEqual(expect.objectContaining({ domain: 'reviews', failure_mode_deny: false, timeout: '250ms' }));
    expect(findDoc(docs, 'EnvoyFilter', 'reviews-ratelimit-svc').spec.configPatches[0].match)
      .toEqual({ context: 'SIDECAR_INBOUND', routeConfiguration: { vhost: { name: 'inbound|http|9080' } } });
    expect(findDoc(docs, 'AuthorizationPolicy', 'ratelimit-allow').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/reviews'] } }]);
    expectSchemaValid(docs);
  });

  test('refuses limits that limit nothing, duplicate domains, bad paths and an unused service', () => {
    const { app, chart } = newChart();
    const reviews = service(chart, 'reviews');
    const rls = new RateLimitService(chart, 'rls');
    expectMeshError(() => new GlobalRateLimit(chart, 'a', { service: rls, target: reviews }), 'test/a', 'paths', 'no limit');
    expectMeshError(() => new GlobalRateLimit(chart, 'b', { service: rls, target: reviews, paths: { x: perMinute(1) } }), 'test/b', 'paths.x', 'not a path');
    expectMeshError(() => new GlobalRateLimit(chart, 'c', { service: rls, target: reviews, otherPaths: { requests: -1, unit: RateLimitUnit.SECOND } }),
      'test/c', 'otherPaths.requests');
    expectMeshError(() => new GlobalRateLimit(chart, 'c2', { service: rls, target: reviews, otherPaths: { requests: 2 ** 32, unit: RateLimitUnit.SECOND } }),
      'test/c2', 'otherPaths.requests', 'uint32');
    expectProblem(validationProblems(app), 'test/rls', 'domains', 'limits nothing');
    new GlobalRateLimit(chart, 'd', { service: rls, target: reviews, otherPaths: perMinute(1) });
    expectMeshError(() => new GlobalRateLimit(chart, 'e', { service: rls, target: reviews, name: 'other', otherPaths: perMinute(1) }),
      'test/e', 'domain', 'already has the domain "reviews"');
  });

  test('on a Gateway rendered as a Gateway API Gateway both EnvoyFilters attach by targetRefs, and its deployed proxies may call the service', () => {
    const { chart } = newChart();
    const gateway = new Gateway(chart, 'shop-gateway', {
      routingApi: RoutingApi.GATEWAY_API, servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }],
    });
    const rls = new RateLimitService(chart, 'rls');
    new GlobalRateLimit(chart, 'limit', { service: rls, target: gateway, otherPaths: perMinute(100) });
    const docs = docsOf(chart);
    for (const name of ['shop-gateway-ratelimit', 'shop-gateway-ratelimit-svc']) {
      const filter = findDoc(docs, 'EnvoyFilter', name);
      expect(filter.metadata.namespace).toBe('shop');
      expect(filter.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-gateway' }]);
      expect(filter.spec.workloadSelector).toBeUndefined();
    }
    expect(findDoc(docs, 'EnvoyFilter', 'shop-gateway-ratelimit-svc').spec.configPatches[0].match).toEqual({ context: 'GATEWAY', routeConfiguration: {} });
    expect(findDoc(docs, 'AuthorizationPolicy', 'ratelimit-allow').spec.rules[0].from)
      .toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/shop-gateway-istio'] } }]);
    expectSchemaValid(docs);
  });

  test('a MeshService with its own port can be a target of both limits', () => {
    const { chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8000, versions: { v1: { image: 'example/web:1' } } });
    const rls = new RateLimitService(chart, 'rls');
    new GlobalRateLimit(chart, 'g', { service: rls, target: web, port: 8000, paths: { '/': perMinute(5) } });
    expect(findDoc(docsOf(chart), 'EnvoyFilter', 'web-ratelimit-svc').spec.configPatches[0].match.routeConfiguration.vhost.name).toBe('inbound|http|8000');
  });

  test('next to an app\'s own redis, the service and its Redis take other names, which its env, config and cluster follow', () => {
    const { app, chart } = newChart();
    new MeshNamespace(chart, 'shop');
    new MeshService(chart, 'redis', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }], versions: { v1: { image: 'redis:7' } } });
    const web = new MeshService(chart, 'web', { port: 8000, versions: { v1: { image: 'example/web:1' } } });
    const rls = new RateLimitService(chart, 'rls', { name: 'web-ratelimit', redisName: 'ratelimit-redis' });
    new GlobalRateLimit(chart, 'g', { service: rls, target: web, port: 8000, paths: { '/': perMinute(5) } });
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    const pod = findDoc(docs, 'Deployment', 'web-ratelimit').spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: 'REDIS_URL', value: 'ratelimit-redis:6379' });
    expect(pod.volumes).toEqual([{ name: 'config-volume', configMap: { name: 'web-ratelimit-config' } }]);
    expect(findDoc(docs, 'ConfigMap', 'web-ratelimit-config')).toBeDefined();
    expect(findDoc(docs, 'Service', 'ratelimit-redis')).toBeDefined();
    expect(rls.clusterName).toBe('outbound|8081||web-ratelimit.shop.svc.cluster.local');
  });
});
