import { DEFAULT_FOOD_IMAGE, FOOD_SERVICES, FoodDeliveryProps, foodDeliveryApp } from '../../apps/food-delivery';
import { accessMatrix, formatViolation, validateDocuments } from '../../lib';
import { allowedEdges, containerOf, expectWholeServiceAllows } from '../support/access';
import { Doc, findDoc, ofKind } from '../support/constructs';

/**
 * What a platform engineer checks in dist/food-delivery/food-delivery.yaml: the workloads, the
 * HTTPS ingress, the resilience settings of order -> payment, and that the authorization policies
 * allow exactly the call graph (and nothing the ingress routes needs is denied).
 */

const NS = 'food-delivery';
const INGRESS = 'istio-system/istio-ingressgateway';

/** Every document of the app, with the file each chart is written to. */
function synth(props: FoodDeliveryProps = {}): { docs: Doc[]; files: string[] } {
  const { app, fileOf } = foodDeliveryApp(props);
  return {
    docs: app.charts.flatMap(chart => chart.toJson() as Doc[]),
    files: [...new Set(app.charts.map(chart => fileOf(chart)))],
  };
}

describe('food delivery app', () => {
  const { docs, files } = synth();

  test('is written to one file, food-delivery.yaml', () => {
    expect(files).toEqual(['food-delivery.yaml']);
  });

  test('the namespace food-delivery exists with sidecar injection, and every other resource is in it', () => {
    const namespace = findDoc(docs, 'Namespace', NS);
    expect(namespace.metadata.labels).toEqual(expect.objectContaining({ 'istio-injection': 'enabled' }));
    expect(ofKind(docs, 'Namespace')).toHaveLength(1);
    for (const doc of docs.filter(d => d.kind !== 'Namespace')) {
      expect(`${doc.kind}/${doc.metadata.name} in ${doc.metadata.namespace}`).toBe(`${doc.kind}/${doc.metadata.name} in ${NS}`);
    }
  });

  test('has exactly the five services user, restaurant, order, delivery and payment', () => {
    expect([...FOOD_SERVICES].sort()).toEqual(['delivery', 'order', 'payment', 'restaurant', 'user']);
    expect(ofKind(docs, 'Service').map(s => s.metadata.name).sort()).toEqual([...FOOD_SERVICES].sort());
    expect(ofKind(docs, 'Deployment').map(d => d.metadata.name).sort()).toEqual(FOOD_SERVICES.map(s => `${s}-v1`).sort());
    expect(ofKind(docs, 'ServiceAccount').map(d => d.metadata.name).sort()).toEqual([...FOOD_SERVICES].sort());
  });

  test.each([...FOOD_SERVICES])('%s: Service port `http` 8080 selecting its pods, its own ServiceAccount used by its Deployment', (name) => {
    const service = findDoc(docs, 'Service', name);
    expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080 })]);
    expect(service.spec.ports[0].targetPort ?? 8080).toBe(8080);
    expect(service.spec.selector).toEqual({ app: name });

    findDoc(docs, 'ServiceAccount', name);
    const deployment = findDoc(docs, 'Deployment', `${name}-v1`);
    const pod = deployment.spec.template;
    expect(pod.spec.serviceAccountName).toBe(name);
    expect(pod.metadata.labels).toEqual(expect.objectContaining({ app: name, version: 'v1' }));
    expect(deployment.spec.selector.matchLabels).toEqual({ app: name, version: 'v1' });
    expect(containerOf(deployment).ports).toEqual([{ containerPort: 8080 }]);
  });

  test('no two workloads share a ServiceAccount (one mesh identity per service)', () => {
    const accounts = ofKind(docs, 'Deployment').map(d => d.spec.template.spec.serviceAccountName);
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  describe('HTTPS gateway', () => {
    const server = (gateway: Doc, port: number) => {
      const found = gateway.spec.servers.filter((s: any) => s.port.number === port);
      expect(found).toHaveLength(1);
      return found[0];
    };

    test('binds the default ingress gateway with HTTPS on 443 (SIMPLE TLS, credential food-delivery-tls, TLS 1.2+) and HTTP on 80 redirecting to HTTPS', () => {
      const gateway = findDoc(docs, 'Gateway', 'food-gateway');
      expect(gateway.spec.selector).toEqual({ istio: 'ingressgateway' });
      expect(gateway.spec.servers).toHaveLength(2);

      const https = server(gateway, 443);
      expect(https.port.protocol).toBe('HTTPS');
      expect(https.hosts).toEqual(['food.example.com']);
      expect(https.tls).toEqual({ mode: 'SIMPLE', credentialName: 'food-delivery-tls', minProtocolVersion: 'TLSV1_2' });

      const http = server(gateway, 80);
      expect(http.port.protocol).toBe('HTTP');
      expect(http.hosts).toEqual(['food.example.com']);
      expect(http.tls).toEqual({ httpsRedirect: true });
    });

    test('the domain and tlsSecretName props set the hosts of both servers, of the ingress routes, and the credential', () => {
      const custom = synth({ domain: 'eat.acme.test', tlsSecretName: 'acme-eat-cert' }).docs;
      const gateway = findDoc(custom, 'Gateway', 'food-gateway');
      expect(server(gateway, 443).hosts).toEqual(['eat.acme.test']);
      expect(server(gateway, 443).tls.credentialName).toBe('acme-eat-cert');
      expect(server(gateway, 80).hosts).toEqual(['eat.acme.test']);
      expect(findDoc(custom, 'VirtualService', 'food-ingress').spec.hosts).toEqual(['eat.acme.test']);
      expect(JSON.stringify(custom)).not.toContain('food.example.com');
      expect(JSON.stringify(custom)).not.toContain('food-delivery-tls');
    });

    test('no Secret object and no key or certificate material anywhere in the output', () => {
      expect(docs.filter(d => d.kind === 'Secret')).toEqual([]);
      const text = JSON.stringify(docs);
      expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY|tls\.key|tls\.crt|privateKey|serverCertificate/);
    });
  });

  describe('ingress routes', () => {
    const ingress = findDoc(docs, 'VirtualService', 'food-ingress');

    test('the ingress VirtualService is bound to the gateway for the public host only', () => {
      expect(ingress.spec.gateways).toEqual(['food-gateway']);
      expect(ingress.spec.hosts).toEqual(['food.example.com']);
    });

    test('maps each /api prefix to its service (subset v1): users, restaurants and orders to their own, deliveries and payments to order', () => {
      const routes = ingress.spec.http.map((r: any) => {
        expect(r.match).toHaveLength(1);
        expect(Object.keys(r.match[0])).toEqual(['uri']);
        expect(Object.keys(r.match[0].uri)).toEqual(['prefix']);
        expect(r.route).toHaveLength(1);
        return [r.match[0].uri.prefix, r.route[0].destination];
      });
      expect(routes).toEqual([
        ['/api/users', { host: 'user', subset: 'v1' }],
        ['/api/restaurants', { host: 'restaurant', subset: 'v1' }],
        ['/api/orders', { host: 'order', subset: 'v1' }],
        ['/api/deliveries', { host: 'order', subset: 'v1' }],
        ['/api/payments', { host: 'order', subset: 'v1' }],
      ]);
    });

    test('every subset routed to is defined by a DestinationRule of its host', () => {
      for (const vs of ofKind(docs, 'VirtualService')) {
        const routes = [...vs.spec.http ?? [], ...vs.spec.tls ?? []];
        for (const destination of routes.flatMap((r: any) => r.route.map((x: any) => x.destination))) {
          if (!destination.subset) continue;
          const rules = ofKind(docs, 'DestinationRule').filter(dr => dr.spec.host === destination.host);
          expect(rules).toHaveLength(1);
          expect(rules[0].spec.subsets.map((s: any) => s.name)).toContain(destination.subset);
        }
      }
    });

    test('authz is consistent with the routes: the ingress gateway may call every destination of every route bound to it', () => {
      const matrix = accessMatrix(docs);
      const gatewayBound = ofKind(docs, 'VirtualService').filter(vs => (vs.spec.gateways ?? []).includes('food-gateway'));
      expect(gatewayBound.map(vs => vs.metadata.name)).toEqual(['food-ingress']);
      const hosts = new Set(gatewayBound.flatMap(vs =>
        vs.spec.http.flatMap((r: any) => r.route.map((x: any) => x.destination.host as string))));
      expect([...hosts].sort()).toEqual(['order', 'restaurant', 'user']);
      for (const host of hosts) {
        const app = findDoc(docs, 'Service', host).spec.selector.app;
        expect(`${INGRESS} -> ${NS}/${app}: ${matrix.cells[INGRESS][`${NS}/${app}`].access}`).toBe(`${INGRESS} -> ${NS}/${app}: all`);
      }
    });
  });

  describe('order -> payment resilience', () => {
    test('VirtualService payment: calls from order time out after 3s and retry twice (1s each, all tries within the timeout) on 5xx; everyone else gets a plain route', () => {
      const vs = findDoc(docs, 'VirtualService', 'payment');
      expect(vs.spec.hosts).toEqual(['payment']);
      expect(vs.spec.gateways).toBeUndefined();
      expect(vs.spec.http).toHaveLength(2);

      const [fromOrder, catchAll] = vs.spec.http;
      expect(fromOrder.match).toEqual([{ sourceLabels: { app: 'order' } }]);
      expect(fromOrder.timeout).toBe('3s');
      expect(fromOrder.retries).toEqual(expect.objectContaining({ attempts: 2, perTryTimeout: '1s' }));
      // every try (the first and each retry) fits in the route timeout
      const everyTryMs = (fromOrder.retries.attempts + 1) * parseInt(fromOrder.retries.perTryTimeout, 10);
      expect(everyTryMs).toBeLessThanOrEqual(parseInt(fromOrder.timeout, 10));
      expect(fromOrder.retries.retryOn.split(',')).toContain('5xx');
      expect(fromOrder.route).toEqual([{ destination: { host: 'payment', subset: 'v1' } }]);

      expect(catchAll.match).toBeUndefined();
      expect(catchAll.route).toEqual([{ destination: { host: 'payment', subset: 'v1' } }]);
    });

    test('the sourceLabels of the retry route select the order pods', () => {
      const match = findDoc(docs, 'VirtualService', 'payment').spec.http[0].match[0].sourceLabels;
      const orderPods = findDoc(docs, 'Deployment', 'order-v1').spec.template.metadata.labels;
      for (const [k, v] of Object.entries(match)) expect(orderPods[k]).toBe(v);
    });

    test('DestinationRule payment: connection pool limits and outlier detection (consecutive5xxErrors, interval, baseEjectionTime, maxEjectionPercent)', () => {
      const rule = findDoc(docs, 'DestinationRule', 'payment');
      expect(ofKind(docs, 'DestinationRule').filter(dr => dr.spec.host === 'payment')).toHaveLength(1);
      expect(rule.spec.host).toBe('payment');
      expect(rule.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);

      const pool = rule.spec.trafficPolicy.connectionPool;
      expect(pool.tcp.maxConnections).toEqual(expect.any(Number));
      expect(pool.tcp.maxConnections).toBeGreaterThan(0);
      expect(pool.http.http1MaxPendingRequests).toEqual(expect.any(Number));
      expect(pool.http.http1MaxPendingRequests).toBeGreaterThan(0);

      const outlier = rule.spec.trafficPolicy.outlierDetection;
      // The exact Istio key: consecutive5xxErrors (not consecutiveErrors, consecutive5XXErrors, ...).
      expect(Object.keys(outlier).sort()).toEqual(['baseEjectionTime', 'consecutive5xxErrors', 'interval', 'maxEjectionPercent']);
      expect(outlier.consecutive5xxErrors).toBeGreaterThan(0);
      expect(outlier.interval).toMatch(/^\d+(\.\d+)?(ms|s|m|h)$/);
      expect(outlier.baseEjectionTime).toMatch(/^\d+(\.\d+)?(ms|s|m|h)$/);
      expect(outlier.maxEjectionPercent).toBeGreaterThan(0);
      expect(outlier.maxEjectionPercent).toBeLessThanOrEqual(100);
    });
  });

  describe('zero trust', () => {
    test('STRICT mTLS for the namespace: PeerAuthentication `default` with no selector', () => {
      expect(ofKind(docs, 'PeerAuthentication')).toHaveLength(1);
      const pa = findDoc(docs, 'PeerAuthentication', 'default');
      expect(pa.spec).toEqual({ mtls: { mode: 'STRICT' } });
    });

    test('deny by default: AuthorizationPolicy `allow-nothing` with an empty spec', () => {
      expect(findDoc(docs, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    });

    test('the access matrix is exactly the call graph: ingress -> user, restaurant, order; order -> restaurant, payment, delivery; delivery -> user', () => {
      const matrix = accessMatrix(docs);
      expect(matrix.callers.map(c => c.id).sort()).toEqual([INGRESS, ...FOOD_SERVICES.map(s => `${NS}/${s}`)].sort());
      expect(matrix.targets.map(t => t.id).sort()).toEqual(FOOD_SERVICES.map(s => `${NS}/${s}`).sort());
      expect(allowedEdges(matrix)).toEqual([
        `${INGRESS} -> ${NS}/user`,
        `${INGRESS} -> ${NS}/restaurant`,
        `${INGRESS} -> ${NS}/order`,
        `${NS}/order -> ${NS}/restaurant`,
        `${NS}/order -> ${NS}/payment`,
        `${NS}/order -> ${NS}/delivery`,
        `${NS}/delivery -> ${NS}/user`,
      ].sort());
      expectWholeServiceAllows(matrix);
    });

    test('payment, the sensitive service, is reachable from order only', () => {
      const matrix = accessMatrix(docs);
      const callers = matrix.callers.filter(c => matrix.cells[c.id][`${NS}/payment`].access !== 'none').map(c => c.id);
      expect(callers).toEqual([`${NS}/order`]);
    });
  });

  describe('images and replicas', () => {
    test.each([...FOOD_SERVICES])('%s defaults to hashicorp/http-echo answering "<service> v1" on :8080', (name) => {
      const container = containerOf(findDoc(docs, 'Deployment', `${name}-v1`));
      expect(DEFAULT_FOOD_IMAGE).toMatch(/^hashicorp\/http-echo(:|$)/);
      expect(container.image).toBe(DEFAULT_FOOD_IMAGE);
      expect(container.args).toEqual(['-listen=:8080', `-text=${name} v1`]);
      expect(container.command).toBeUndefined();
    });

    test('an images override changes only that Deployment: its image, without the echo args', () => {
      const custom = synth({ images: { payment: 'registry.acme.test/payment:2.3.1' } }).docs;
      const payment = containerOf(findDoc(custom, 'Deployment', 'payment-v1'));
      expect(payment.image).toBe('registry.acme.test/payment:2.3.1');
      expect(payment.args).toBeUndefined();
      expect(payment.command).toBeUndefined();
      expect(payment.ports).toEqual([{ containerPort: 8080 }]);
      for (const name of FOOD_SERVICES.filter(s => s !== 'payment')) {
        expect(findDoc(custom, 'Deployment', `${name}-v1`)).toEqual(findDoc(docs, 'Deployment', `${name}-v1`));
      }
      // Everything but the payment Deployment is unchanged.
      const others = (list: Doc[]) => list.filter(d => !(d.kind === 'Deployment' && d.metadata.name === 'payment-v1'));
      expect(others(custom)).toEqual(others(docs));
    });

    test('replicas defaults to 1 and the replicas prop applies to every Deployment', () => {
      for (const d of ofKind(docs, 'Deployment')) expect(d.spec.replicas).toBe(1);
      const scaled = ofKind(synth({ replicas: 3 }).docs, 'Deployment');
      expect(scaled).toHaveLength(5);
      for (const d of scaled) expect(`${d.metadata.name}: ${d.spec.replicas}`).toBe(`${d.metadata.name}: 3`);
    });

    test('the namespace prop moves everything, including the principals of the allow policies', () => {
      const moved = synth({ namespace: 'eats' }).docs;
      findDoc(moved, 'Namespace', 'eats');
      for (const doc of moved.filter(d => d.kind !== 'Namespace')) expect(doc.metadata.namespace).toBe('eats');
      expect(JSON.stringify(moved)).not.toContain('/ns/food-delivery/');
      expect(allowedEdges(accessMatrix(moved))).toEqual(allowedEdges(accessMatrix(docs)).map(e => e.replace(/food-delivery\//g, 'eats/')));
    });
  });

  describe('validity', () => {
    test.each<[string, FoodDeliveryProps]>([
      ['defaults', {}],
      ['every prop set', { namespace: 'eats', domain: 'eat.acme.test', tlsSecretName: 'acme-eat-cert', images: { user: 'acme/user:1', payment: 'acme/payment:2' }, replicas: 2 }],
    ])('every document is valid against the Istio CRDs and the Kubernetes API (%s)', (_, props) => {
      const all = synth(props).docs;
      expect(all.length).toBeGreaterThan(0);
      expect(validateDocuments(all).map(formatViolation)).toEqual([]);
    });
  });
});
