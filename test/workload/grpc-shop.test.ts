import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  Destination, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, MeshServiceProps, PortProtocol, Probe, RetryOn,
  ServiceAccountRef, VirtualService, WorkloadDefaults, WorkloadKind, writeManifests,
} from '../../lib';

/**
 * The "done when" test: a gRPC microservice shop in the shape of the public eleven-service
 * demo (four gRPC services, a Redis StatefulSet, an unversioned HTTP frontend, a load generator
 * without a Service), written with the public API alone — no JSON patch — and synthesized through
 * writeManifests (every construct check, the schema and admission checks, the mesh analysis).
 */

const REGISTRY = 'registry.example.com/shop';

/** What every shop container shares: requests, a hardened security context, a short grace period. */
const HARDENED: WorkloadDefaults = {
  requests: { cpu: '100m', memory: '64Mi' },
  limits: { memory: '128Mi' },
  podSecurityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  terminationGracePeriod: Duration.seconds(5),
  automountServiceAccountToken: false,
};

/** A gRPC service on `port`, probed by the kubelet's gRPC health check. */
function grpcService(chart: Chart, name: string, port: number, props: Partial<MeshServiceProps> = {}): MeshService {
  return new MeshService(chart, name, {
    ports: [{ port, protocol: PortProtocol.GRPC }],
    defaults: { ...HARDENED, env: { PORT: String(port) }, readinessProbe: Probe.grpc('grpc'), livenessProbe: Probe.grpc('grpc', { period: Duration.seconds(10) }) },
    workload: { image: `${REGISTRY}/${name}:1.0` },
    ...props,
  });
}

function buildShop(): App {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const ns = new MeshNamespace(chart, 'shop');
  ns.requireMtls();
  ns.denyByDefault();

  const redis = new MeshService(chart, 'redis-cart', {
    ports: [{ port: 6379, protocol: PortProtocol.REDIS }],
    workload: {
      image: 'redis:7.2-alpine',
      kind: WorkloadKind.STATEFUL_SET,
      ...HARDENED,
      readinessProbe: Probe.tcpSocket('redis', { period: Duration.seconds(5) }),
      livenessProbe: Probe.tcpSocket(6379),
      volumeClaims: [{ name: 'redis-data', mountPath: '/data', storage: '1Gi' }],
    },
  });
  const catalog = grpcService(chart, 'productcatalog', 3550);
  const currency = grpcService(chart, 'currency', 7000, {
    serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': 'currency@shop-project.iam.gserviceaccount.com' },
  });
  const cart = grpcService(chart, 'cart', 7070, {
    workload: undefined,
    versions: {
      v1: { image: `${REGISTRY}/cart:1.0`, env: { REDIS_ADDR: redis.address() } },
      v2: { image: `${REGISTRY}/cart:2.0`, env: { REDIS_ADDR: redis.address() }, replicas: 2 },
    },
  });
  const checkout = grpcService(chart, 'checkout', 5050, {
    workload: {
      image: `${REGISTRY}/checkout:1.0`,
      env: {
        CART_SERVICE_ADDR: cart.address(), PRODUCT_CATALOG_SERVICE_ADDR: catalog.address(), CURRENCY_SERVICE_ADDR: currency.address(),
      },
    },
  });
  const frontend = new MeshService(chart, 'frontend', {
    port: 8080,
    serviceAccount: ServiceAccountRef.existing('shop-web'),
    workload: {
      image: `${REGISTRY}/frontend:1.0`,
      ...HARDENED,
      env: {
        PORT: '8080',
        CART_SERVICE_ADDR: cart.address(),
        PRODUCT_CATALOG_SERVICE_ADDR: catalog.address(),
        CURRENCY_SERVICE_ADDR: currency.address(),
        CHECKOUT_SERVICE_ADDR: checkout.address(),
      },
      readinessProbe: Probe.httpGet('/_healthz', 'http', { httpHeaders: { Cookie: 'shop_session-id=x-readiness-probe' } }),
      livenessProbe: Probe.httpGet('/_healthz', 8080, { httpHeaders: { Cookie: 'shop_session-id=x-liveness-probe' } }),
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    },
  });
  const loadgenerator = new MeshService(chart, 'loadgenerator', {
    ports: [],
    workload: {
      image: `${REGISTRY}/loadgenerator:1.0`,
      ...HARDENED,
      env: { FRONTEND_ADDR: frontend.address(), USERS: '10' },
      initContainers: [{
        name: 'wait-for-frontend',
        image: 'busybox:1.36',
        requests: { cpu: '10m', memory: '16Mi' },
        securityContext: HARDENED.securityContext,
        command: ['sh', '-c', `until wget -qO- http://${frontend.address()}/_healthz; do sleep 2; done`],
      }],
    },
  });

  const gateway = new Gateway(chart, 'shop-gateway', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
  new VirtualService(chart, 'frontend-ingress', {
    hosts: ['shop.example.com'],
    gateways: [gateway],
    http: [{
      match: [HttpMatch.prefix('/')],
      to: [Destination.toService(frontend)],
      headers: { response: { set: { 'strict-transport-security': 'max-age=31536000' }, remove: ['x-powered-by'] } },
    }],
  });
  new VirtualService(chart, 'cart-route', {
    hosts: [cart],
    http: [{
      to: [cart.version('v1').withWeight(90), cart.version('v2').withWeight(10).withHeaders({ request: { set: { 'x-cart-canary': 'true' } } })],
      timeout: Duration.seconds(3),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: [RetryOn.UNAVAILABLE, RetryOn.DEADLINE_EXCEEDED] },
    }],
  });

  frontend.allowFrom([loadgenerator]);
  cart.allowFrom([frontend, checkout], { grpc: ['shop.v1.CartService/*'] });
  catalog.allowFrom([frontend, checkout], { grpc: ['shop.v1.ProductCatalogService/ListProducts', 'shop.v1.ProductCatalogService/GetProduct'] });
  currency.allowFrom([frontend, checkout], { grpc: ['shop.v1.CurrencyService/Convert'] });
  checkout.allowFrom(frontend, { grpc: ['shop.v1.CheckoutService/PlaceOrder'] });
  redis.allowFrom(cart);
  return app;
}

describe('a gRPC shop built with the public API alone', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-grpc-shop-'));
  writeManifests(buildShop(), { outdir });
  const docs = yaml.loadAll(fs.readFileSync(path.join(outdir, 'shop.yaml'), 'utf8')) as Record<string, any>[];
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const find = (kind: string, name: string) => {
    const doc = docs.find(d => d.kind === kind && d.metadata.name === name);
    if (!doc) throw new Error(`no ${kind}/${name}`);
    return doc;
  };
  const pod = (kind: string, name: string) => find(kind, name).spec.template.spec;

  test('it synthesizes the workloads it declares: StatefulSet, unversioned Deployments, versions, no Service for the load generator', () => {
    expect(docs.filter(d => d.kind === 'Deployment').map(d => d.metadata.name).sort())
      .toEqual(['cart-v1', 'cart-v2', 'checkout', 'currency', 'frontend', 'loadgenerator', 'productcatalog']);
    expect(find('StatefulSet', 'redis-cart').spec.serviceName).toBe('redis-cart-headless');
    expect(docs.filter(d => d.kind === 'Service').map(d => d.metadata.name).sort())
      .toEqual(['cart', 'checkout', 'currency', 'frontend', 'productcatalog', 'redis-cart', 'redis-cart-headless']);
    expect(docs.filter(d => d.kind === 'ServiceAccount').map(d => d.metadata.name)).not.toContain('shop-web');
    expect(find('Deployment', 'frontend').spec.selector).toEqual({ matchLabels: { app: 'frontend' } });
  });

  test('probes: gRPC health checks by port name, HTTP with the session cookie header, TCP for Redis', () => {
    const checkout = pod('Deployment', 'checkout').containers[0];
    expect(checkout.readinessProbe).toEqual({ grpc: { port: 5050 } });
    expect(checkout.livenessProbe).toEqual({ grpc: { port: 5050 }, periodSeconds: 10 });
    const frontend = pod('Deployment', 'frontend').containers[0];
    expect(frontend.readinessProbe).toEqual({ httpGet: { path: '/_healthz', port: 8080, httpHeaders: [{ name: 'Cookie', value: 'shop_session-id=x-readiness-probe' }] } });
    expect(pod('StatefulSet', 'redis-cart').containers[0].readinessProbe).toEqual({ tcpSocket: { port: 6379 }, periodSeconds: 5 });
  });

  test('pod settings on every workload', () => {
    for (const [kind, name] of [['Deployment', 'cart-v2'], ['Deployment', 'frontend'], ['StatefulSet', 'redis-cart'], ['Deployment', 'loadgenerator']]) {
      const spec = pod(kind, name);
      expect({ name, sc: spec.securityContext }).toEqual({
        name, sc: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      });
      expect(spec.terminationGracePeriodSeconds).toBe(5);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    }
    expect(pod('Deployment', 'frontend').serviceAccountName).toBe('shop-web');
    expect(pod('Deployment', 'frontend').topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(pod('Deployment', 'loadgenerator').initContainers.map((c: any) => c.name)).toEqual(['wait-for-frontend']);
    expect(find('StatefulSet', 'redis-cart').spec.volumeClaimTemplates[0].spec.resources).toEqual({ requests: { storage: '1Gi' } });
    expect(find('ServiceAccount', 'currency').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'currency@shop-project.iam.gserviceaccount.com' });
  });

  test('addresses of the callees in env', () => {
    const env = Object.fromEntries(pod('Deployment', 'checkout').containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toEqual({
      PORT: '5050',
      CART_SERVICE_ADDR: 'cart.shop.svc.cluster.local:7070',
      PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalog.shop.svc.cluster.local:3550',
      CURRENCY_SERVICE_ADDR: 'currency.shop.svc.cluster.local:7000',
    });
    expect(pod('Deployment', 'cart-v1').containers[0].env).toContainEqual({ name: 'REDIS_ADDR', value: 'redis-cart.shop.svc.cluster.local:6379' });
  });

  test('gRPC authorization paths', () => {
    expect(find('AuthorizationPolicy', 'cart-allow').spec.rules[0].to).toEqual([{ operation: { paths: ['/shop.v1.CartService/*'] } }]);
    expect(find('AuthorizationPolicy', 'productcatalog-allow').spec.rules[0].to[0].operation.paths)
      .toEqual(['/shop.v1.ProductCatalogService/ListProducts', '/shop.v1.ProductCatalogService/GetProduct']);
    expect(find('AuthorizationPolicy', 'checkout-allow').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/shop-web']);
  });

  test('header rules and gRPC retries on the routes', () => {
    expect(find('VirtualService', 'frontend-ingress').spec.http[0].headers)
      .toEqual({ response: { set: { 'strict-transport-security': 'max-age=31536000' }, remove: ['x-powered-by'] } });
    const cartRoute = find('VirtualService', 'cart-route').spec.http[0];
    expect(cartRoute.route[1]).toEqual({ destination: { host: 'cart', subset: 'v2' }, weight: 10, headers: { request: { set: { 'x-cart-canary': 'true' } } } });
    expect(cartRoute.retries).toEqual({ attempts: 2, perTryTimeout: '1s', retryOn: 'unavailable,deadline-exceeded' });
  });
});
