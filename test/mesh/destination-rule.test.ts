import { Duration } from 'cdk8s';
import {
  ClientTlsMode, DestinationRule, LoadBalancer, LoadBalancerAlgorithm, Subset, TrafficPolicy, analyze,
} from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

/** The rendered spec of a DestinationRule `dr` for host `ratings` with the given traffic policy. */
function specWith(trafficPolicy: TrafficPolicy): any {
  const { chart } = newChart();
  new DestinationRule(chart, 'dr', { host: 'ratings', trafficPolicy });
  return findDoc(docsOf(chart), 'DestinationRule', 'dr').spec;
}

function policyError(trafficPolicy: TrafficPolicy, field: string, ...fragments: string[]): void {
  const { chart } = newChart();
  expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'ratings', trafficPolicy }), 'test/dr', field, ...fragments);
}

describe('DestinationRule subsets', () => {
  test('a string host, name defaulting to the id and subsets in the order given', () => {
    const { chart } = newChart();
    const rule = new DestinationRule(chart, 'reviews', {
      host: 'reviews',
      subsets: [Subset.version('v3'), Subset.version('v1'), Subset.labels('canary', { track: 'canary', version: 'v2' })],
    });
    expect(rule.subsetNames).toEqual(['v3', 'v1', 'canary']);
    expect(rule.hostName).toBe('reviews');
    expect(rule.namespace).toBe('shop');
    const doc = findDoc(docsOf(chart), 'DestinationRule', 'reviews');
    expect(doc.apiVersion).toBe('networking.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(doc.spec).toEqual({
      host: 'reviews',
      subsets: [
        { name: 'v3', labels: { version: 'v3' } },
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'canary', labels: { track: 'canary', version: 'v2' } },
      ],
    });
  });

  test('addSubset appends; no subsets and no policy means neither key is emitted; exportTo is passed through', () => {
    const { chart } = newChart();
    const empty = new DestinationRule(chart, 'empty', { host: 'api.example.com', name: 'api-rule', exportTo: ['.'] });
    expect(findDoc(docsOf(chart), 'DestinationRule', 'api-rule').spec).toEqual({ host: 'api.example.com', exportTo: ['.'] });
    empty.addSubset(Subset.version('v1'));
    expect(findDoc(docsOf(chart), 'DestinationRule', 'api-rule').spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);
  });

  test('isDestinationRule', () => {
    const { chart } = newChart();
    expect(DestinationRule.isDestinationRule(new DestinationRule(chart, 'dr', { host: 'x' }))).toBe(true);
    expect(DestinationRule.isDestinationRule(chart)).toBe(false);
    expect(DestinationRule.isDestinationRule(undefined)).toBe(false);
  });

  test('a subset traffic policy is rendered inside the subset', () => {
    const { chart } = newChart();
    new DestinationRule(chart, 'dr', {
      host: 'reviews',
      subsets: [Subset.version('v1'), Subset.version('v2', { loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM) })],
    });
    expect(findDoc(docsOf(chart), 'DestinationRule', 'dr').spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } },
    ]);
  });

  test('duplicate subset', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', subsets: [Subset.version('v1'), Subset.labels('v1', { version: 'v1' })] }),
      'test/dr', 'subsets.v1', 'the subset is defined twice');
  });

  test('empty labels', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', subsets: [Subset.labels('all', {})] }),
      'test/dr', 'subsets.all.labels', 'at least one label');
  });

  test('a subset name is refused when created unless it is a DNS-1123 label, as Istio\'s webhook takes it (upper case allowed, no dots)', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', subsets: [Subset.labels('v1.0', { version: 'v1.0' })] }),
      'test/dr', 'subsets.v1.0', 'subset name "v1.0" is not a DNS-1123 label', 'no dots');
    expectMeshError(() => new DestinationRule(chart, 'long', { host: 'reviews', subsets: [Subset.version('v'.repeat(64))] }),
      'test/long', `subsets.${'v'.repeat(64)}`, 'is not a DNS-1123 label');
    new DestinationRule(chart, 'upper', { host: 'reviews', subsets: [Subset.version('V1')] });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'DestinationRule', 'upper').spec.subsets).toEqual([{ name: 'V1', labels: { version: 'V1' } }]);
    expect(analyze(docs).filter(m => m.code === 'IST0106')).toEqual([]);
  });

  test('invalid label value', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', subsets: [Subset.labels('beta', { track: 'beta!' })] }),
      'test/dr', 'subsets.beta.labels.track', '"beta!" is not a valid label value');
  });

  test('empty host', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: '' }), 'test/dr', 'host', 'the host is empty');
  });

  test('invalid name', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', name: 'Reviews' }), 'test/dr', 'name', '"Reviews"');
  });
});

describe('DestinationRule traffic policy', () => {
  test('loadBalancer simple', () => {
    expect(specWith({ loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN) }).trafficPolicy)
      .toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
  });

  test('loadBalancer consistent hash by cookie with ttl', () => {
    expect(specWith({ loadBalancer: LoadBalancer.consistentHashByCookie('user', Duration.minutes(30)) }).trafficPolicy)
      .toEqual({ loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '1800s' } } } });
    expect(specWith({ loadBalancer: LoadBalancer.consistentHashByCookie('session', Duration.millis(500)) }).trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl)
      .toBe('500ms');
  });

  test('loadBalancer consistent hash by header and by source IP', () => {
    expect(specWith({ loadBalancer: LoadBalancer.consistentHashByHeader('x-user') }).trafficPolicy)
      .toEqual({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } });
    expect(specWith({ loadBalancer: LoadBalancer.consistentHashBySourceIp() }).trafficPolicy)
      .toEqual({ loadBalancer: { consistentHash: { useSourceIp: true } } });
  });

  test('connectionPool splits into tcp and http settings', () => {
    expect(specWith({
      connectionPool: {
        maxConnections: 100,
        connectTimeout: Duration.millis(250),
        http1MaxPendingRequests: 10,
        http2MaxRequests: 1000,
        maxRequestsPerConnection: 1,
        maxRetries: 3,
        idleTimeout: Duration.minutes(5),
      },
    }).trafficPolicy).toEqual({
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '250ms' },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 1000, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: '300s' },
      },
    });
  });

  test('connectionPool with only http settings has no tcp key', () => {
    expect(specWith({ connectionPool: { http1MaxPendingRequests: 1 } }).trafficPolicy)
      .toEqual({ connectionPool: { http: { http1MaxPendingRequests: 1 } } });
  });

  test('outlierDetection with durations', () => {
    expect(specWith({
      outlierDetection: {
        consecutiveGatewayErrors: 3, interval: Duration.seconds(10), baseEjectionTime: Duration.millis(1500), maxEjectionPercent: 100,
      },
    }).trafficPolicy).toEqual({
      outlierDetection: { consecutiveGatewayErrors: 3, interval: '10s', baseEjectionTime: '1500ms', maxEjectionPercent: 100 },
    });
  });

  // The L1 class serializes consecutive5XxErrors; the manifest must carry the API's consecutive5xxErrors.
  test('outlierDetection.consecutive5xxErrors is emitted (top level, subset and port level)', () => {
    const { chart } = newChart();
    const od = { consecutive5xxErrors: 7 };
    new DestinationRule(chart, 'dr', {
      host: 'ratings',
      trafficPolicy: { outlierDetection: od, portLevelSettings: [{ port: 9080, outlierDetection: od }] },
      subsets: [Subset.version('v1', { outlierDetection: od })],
    });
    const spec = findDoc(docsOf(chart), 'DestinationRule', 'dr').spec;
    expect(spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 7 });
    expect(spec.trafficPolicy.portLevelSettings[0].outlierDetection).toEqual({ consecutive5xxErrors: 7 });
    expect(spec.subsets[0].trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 7 });
  });

  test.each([
    [{ mode: ClientTlsMode.ISTIO_MUTUAL }, { mode: 'ISTIO_MUTUAL' }],
    [{ mode: ClientTlsMode.DISABLE }, { mode: 'DISABLE' }],
    [{ mode: ClientTlsMode.SIMPLE, sni: 'api.example.com' }, { mode: 'SIMPLE', sni: 'api.example.com' }],
    [
      { mode: ClientTlsMode.MUTUAL, credentialName: 'client-cert', subjectAltNames: ['spiffe://example.com/api'] },
      { mode: 'MUTUAL', credentialName: 'client-cert', subjectAltNames: ['spiffe://example.com/api'] },
    ],
  ])('tls %j', (tls, expected) => {
    expect(specWith({ tls }).trafficPolicy).toEqual({ tls: expected });
  });

  test('caCertificates verifies an external server: written, and IST0128 (server not verified) goes away', () => {
    const messagesWith = (caCertificates?: string) => {
      const { chart } = newChart();
      new DestinationRule(chart, 'dr', { host: 'api.example.com', trafficPolicy: { tls: { mode: ClientTlsMode.SIMPLE, caCertificates } } });
      return analyze(chart.toJson()).map(m => m.code);
    };
    expect(specWith({ tls: { mode: ClientTlsMode.SIMPLE, caCertificates: '/etc/ssl/certs/ca-certificates.crt' } }).trafficPolicy)
      .toEqual({ tls: { mode: 'SIMPLE', caCertificates: '/etc/ssl/certs/ca-certificates.crt' } });
    expect(messagesWith()).toContain('IST0128');
    expect(messagesWith('/etc/ssl/certs/ca-certificates.crt')).not.toContain('IST0128');
  });

  test('caCertificates must be an absolute path, and ISTIO_MUTUAL takes none', () => {
    policyError({ tls: { mode: ClientTlsMode.SIMPLE, caCertificates: 'ca.pem' } }, 'trafficPolicy.tls.caCertificates',
      'must be the absolute path of a file in the sidecar, not "ca.pem"');
    policyError({ tls: { mode: ClientTlsMode.ISTIO_MUTUAL, caCertificates: '/etc/ca.pem' } }, 'trafficPolicy.tls.caCertificates',
      'ISTIO_MUTUAL verifies peers with the mesh CA');
  });

  test('portLevelSettings with port {number}', () => {
    expect(specWith({
      loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.LEAST_REQUEST),
      portLevelSettings: [
        { port: 9080, loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN) },
        { port: 15443, tls: { mode: ClientTlsMode.SIMPLE }, connectionPool: { maxConnections: 10 } },
      ],
    }).trafficPolicy).toEqual({
      loadBalancer: { simple: 'LEAST_REQUEST' },
      portLevelSettings: [
        { port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } },
        { port: { number: 15443 }, connectionPool: { tcp: { maxConnections: 10 } }, tls: { mode: 'SIMPLE' } },
      ],
    });
  });

  test('an empty traffic policy emits no trafficPolicy key', () => {
    expect(specWith({})).toEqual({ host: 'ratings' });
  });

  test.each([101, -1, 50.5])('maxEjectionPercent %p out of range', value => {
    policyError({ outlierDetection: { maxEjectionPercent: value } }, 'trafficPolicy.outlierDetection.maxEjectionPercent',
      `${value} is out of range`, 'from 0 to 100');
  });

  test('maxConnections 0', () => {
    policyError({ connectionPool: { maxConnections: 0 } }, 'trafficPolicy.connectionPool.maxConnections', '0 is out of range', 'from 1 to');
  });

  test('negative consecutive5xxErrors', () => {
    policyError({ outlierDetection: { consecutive5xxErrors: -1 } }, 'trafficPolicy.outlierDetection.consecutive5xxErrors', '-1 is out of range');
  });

  test('port level setting port out of range', () => {
    policyError({ portLevelSettings: [{ port: 9080 }, { port: 70000 }] }, 'trafficPolicy.portLevelSettings[1].port', '70000 is out of range', 'from 1 to 65535');
  });

  test('port level setting with a bad value names its index', () => {
    policyError({ portLevelSettings: [{ port: 9080, outlierDetection: { maxEjectionPercent: 200 } }] },
      'trafficPolicy.portLevelSettings[0].outlierDetection.maxEjectionPercent', '200 is out of range');
  });

  test('a cookie ttl below 1ms', () => {
    policyError({ loadBalancer: LoadBalancer.consistentHashByCookie('user', Duration.millis(0)) },
      'trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl', 'at least 1ms');
  });

  test('a zero interval', () => {
    policyError({ outlierDetection: { interval: Duration.seconds(0) } }, 'trafficPolicy.outlierDetection.interval', 'at least 1ms');
  });

  test('a bad subset traffic policy fails at construction with the subset field path', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', subsets: [Subset.version('v1', { outlierDetection: { maxEjectionPercent: 101 } })] }),
      'test/dr', 'subsets.v1.trafficPolicy.outlierDetection.maxEjectionPercent', '101 is out of range');
  });
});
