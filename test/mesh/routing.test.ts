import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  Destination, DestinationRule, Gateway, GatewayProtocol, MeshService, PortProtocol, Subset, VirtualService, writeManifests,
} from '../../lib';
import { Doc, ofKind, docsOf, expectMeshError, expectProblem, findDoc, newChart, validationProblems, newApp } from '../support/constructs';

function reviews(chart: Chart, versions = ['v1', 'v2', 'v3']): MeshService {
  return new MeshService(chart, 'reviews', {
    port: 9080,
    versions: Object.fromEntries(versions.map(v => [v, { image: `reviews:${v}` }])),
  });
}

function rulesForHost(docs: Doc[], host: string): Doc[] {
  return ofKind(docs, 'DestinationRule').filter(d => d.spec.host === host);
}

describe('DestinationRule created by routing to a version', () => {
  test('a service nobody routes to by version has no DestinationRule', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [Destination.toService(svc)] }] });
    expect(svc.destinationRule).toBeUndefined();
    expect(ofKind(docsOf(chart), 'DestinationRule')).toEqual([]);
  });

  test('svc.version(v2) creates a DestinationRule named after the service with subset v2 selecting version: v2', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    const dest = svc.version('v2');
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [dest] }] });
    const docs = docsOf(chart);
    const rule = findDoc(docs, 'DestinationRule', 'reviews');
    expect(rule.apiVersion).toBe('networking.istio.io/v1');
    expect(rule.metadata.namespace).toBe('shop');
    expect(rule.spec).toEqual({ host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
    expect(svc.destinationRule?.name).toBe('reviews');
    expect(findDoc(docs, 'VirtualService', 'vs').spec.http[0].route).toEqual([{ destination: { host: 'reviews', subset: 'v2' } }]);
  });

  test('routed versions become subsets once each, in the service\'s version order', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [
        { to: [svc.version('v3')] },
        { to: [svc.version('v1').withWeight(50), svc.version('v3').withWeight(50)] },
      ],
    });
    const rule = findDoc(docsOf(chart), 'DestinationRule', 'reviews');
    expect(rule.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v3']);
  });

  test('an explicit DestinationRule created later replaces the auto-created one and keeps its subsets first', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v3').withWeight(80), svc.version('v1').withWeight(20)] }] });
    expect(svc.destinationRule?.node.scope).toBe(svc);

    const explicit = new DestinationRule(chart, 'reviews-rule', { host: svc, subsets: [Subset.version('v1'), Subset.version('v2')] });
    expect(svc.destinationRule).toBe(explicit);
    expect(svc.node.tryFindChild('DestinationRule')).toBeUndefined();

    const docs = docsOf(chart);
    const rules = rulesForHost(docs, 'reviews');
    expect(rules).toHaveLength(1);
    expect(rules[0].metadata.name).toBe('reviews-rule');
    expect(rules[0].spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
      { name: 'v3', labels: { version: 'v3' } },
    ]);
    expect(validationProblems(chart.node.root as App)).toEqual([]);
  });

  test('an explicit DestinationRule created first is extended by routing, and no other rule is created', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    const explicit = new DestinationRule(chart, 'reviews-rule', { host: svc, subsets: [Subset.version('v1')] });
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v2')] }] });
    expect(svc.destinationRule).toBe(explicit);
    expect(explicit.subsetNames).toEqual(['v1', 'v2']);
    const rules = rulesForHost(docsOf(chart), 'reviews');
    expect(rules.map(r => r.metadata.name)).toEqual(['reviews-rule']);
  });
});

describe('redirects', () => {
  test('a redirect that changes nothing (it would loop back to the same URL) is refused', () => {
    const { chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'registry.example.com/web:1' } } });
    expectMeshError(() => new VirtualService(chart, 'r', { hosts: [web], http: [{ redirect: {} }] }), 'test/r', 'http[0].redirect',
      'the redirect changes nothing', "redirect: { scheme: 'https' }");
    new VirtualService(chart, 'ok', { hosts: [web], http: [{ redirect: { scheme: 'https' } }] });
    expect(findDoc(docsOf(chart), 'VirtualService', 'ok').spec.http[0].redirect).toEqual({ scheme: 'https' });
  });
});

describe('destination validation', () => {
  test('routing to a version the service lacks is a validation problem naming the path, field and fix', () => {
    const { app, chart } = newChart();
    const svc = reviews(chart, ['v1']);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v9')] }] });
    const problem = expectProblem(validationProblems(app), 'test/vs', 'http[0].route[0].destination.subset',
      '"v9" is not a version of MeshService test/reviews (it has v1)');
    expect(problem).toContain('Fix: route to one of v1');
    // The rule never lists a subset for a version that has no pods.
    expect(svc.destinationRule?.subsetNames).toEqual([]);
    // cdk8s runs the same validations when the chart is rendered.
    expect(() => chart.toJson()).toThrow(/test\/vs: http\[0\]\.route\[0\]\.destination\.subset: .*Fix:/);
  });

  test('writeManifests fails on an unknown version with the same message', () => {
    const { app, chart } = newChart();
    const svc = reviews(chart, ['v1']);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(90), svc.version('v2').withWeight(10)] }] });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'routing-'));
    try {
      expect(() => writeManifests(app, { outdir })).toThrow(/test\/vs: http\[0\]\.route\[1\]\.destination\.subset: .*Fix:/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a port the service does not have', () => {
    const { app, chart } = newChart();
    const svc = reviews(chart, ['v1']);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1', 8080)] }] });
    expectProblem(validationProblems(app), 'test/vs', 'http[0].route[0].destination.port.number',
      'MeshService test/reviews has no port 8080 (it has 9080)');
  });

  test('a multi-port service without a port is IST0112; with the port it passes and renders port.number', () => {
    const { app, chart } = newChart();
    const svc = new MeshService(chart, 'api', {
      ports: [{ port: 8080 }, { port: 9090, protocol: PortProtocol.GRPC }],
      versions: { v1: { image: 'api:1' } },
    });
    const vs = new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    expectProblem(validationProblems(app), 'test/vs', 'http[0].route[0].destination.port.number', 'IST0112', 'several ports (8080, 9090)', "service.version('v1', 8080) or Destination.toService(service, { port: 8080 })");

    vs.addHttpRoute({ to: [svc.version('v1', 9090)] });
    expect(validationProblems(app)).toHaveLength(1); // the new route, with its port, adds no problem
    chart.node.tryRemoveChild('vs');
    new VirtualService(chart, 'good', { hosts: [svc], http: [{ to: [svc.version('v1', 8080)] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'VirtualService', 'good').spec.http[0].route[0].destination)
      .toEqual({ host: 'api', subset: 'v1', port: { number: 8080 } });
  });

  test('a mirror destination is validated too', () => {
    const { app, chart } = newChart();
    const svc = reviews(chart, ['v1']);
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], mirror: svc.version('v2') }] });
    expectProblem(validationProblems(app), 'test/vs', 'http[0].mirror.subset', '"v2" is not a version');
  });

  test('Destination.toSubset with a subset the rule lacks fails; once the rule has it, it passes', () => {
    const { app, chart } = newChart();
    const rule = new DestinationRule(chart, 'httpbin', { host: 'httpbin', subsets: [Subset.labels('stable', { track: 'stable' })] });
    new VirtualService(chart, 'vs', {
      hosts: ['httpbin'],
      http: [{ to: [Destination.toSubset(rule, 'stable').withWeight(90), Destination.toSubset(rule, 'canary', { port: 8000 }).withWeight(10)] }],
    });
    const problems = validationProblems(app);
    expect(problems).toHaveLength(1);
    expectProblem(problems, 'test/vs', 'http[0].route[1].destination.subset',
      'DestinationRule test/httpbin defines no subset "canary" (it has stable)', "Subset.version('canary')");

    rule.addSubset(Subset.labels('canary', { track: 'canary' }));
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http[0].route).toEqual([
      { destination: { host: 'httpbin', subset: 'stable' }, weight: 90 },
      { destination: { host: 'httpbin', subset: 'canary', port: { number: 8000 } }, weight: 10 },
    ]);
  });

  test('Destination.toHost with a subset no DestinationRule in the app defines fails', () => {
    const { app, chart } = newChart();
    new VirtualService(chart, 'vs', { hosts: ['api.example.com'], http: [{ to: [Destination.toHost('api.example.com', { subset: 'eu' })] }] });
    expectProblem(validationProblems(app), 'test/vs', 'http[0].route[0].destination.subset',
      'no DestinationRule for host "api.example.com" defines subset "eu" (no DestinationRule has that host)');
  });

  test('Destination.toHost with a subset passes when a DestinationRule in another chart of the app defines it', () => {
    const app = newApp();
    const egress = new Chart(app, 'egress', { namespace: 'egress' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    new DestinationRule(egress, 'api', { host: 'api.example.com', subsets: [Subset.labels('eu', { region: 'eu' })] });
    new VirtualService(web, 'vs', { hosts: ['api.example.com'], http: [{ to: [Destination.toHost('api.example.com', { subset: 'eu', port: 443 })] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(web), 'VirtualService', 'vs').spec.http[0].route[0].destination)
      .toEqual({ host: 'api.example.com', subset: 'eu', port: { number: 443 } });
  });

  test('Destination.toHost without a subset needs no DestinationRule', () => {
    const { app, chart } = newChart();
    new VirtualService(chart, 'vs', { hosts: ['api.example.com'], http: [{ to: [Destination.toHost('api.example.com')] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http[0].route).toEqual([{ destination: { host: 'api.example.com' } }]);
  });

  test('Destination.toHost with the FQDN of a MeshService finds the subset of its DestinationRule', () => {
    const { app, chart } = newChart();
    const svc = reviews(chart);
    new VirtualService(chart, 'split', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    new VirtualService(chart, 'vs', {
      hosts: ['reviews.example.com'],
      http: [{ to: [Destination.toHost('reviews.shop.svc.cluster.local', { subset: 'v1' })] }],
    });
    expect(validationProblems(app)).toEqual([]);
  });

  test('Destination.toHost with a short name from another namespace does not match a rule for the service in shop', () => {
    const app = newApp();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new Chart(app, 'web', { namespace: 'web' });
    const svc = reviews(shop);
    new VirtualService(shop, 'split', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    new VirtualService(web, 'vs', { hosts: ['reviews.example.com'], http: [{ to: [Destination.toHost('reviews', { subset: 'v1' })] }] });
    expectProblem(validationProblems(app), 'web/vs', 'http[0].route[0].destination.subset', 'subset "v1"');
  });

  test('a negative weight is rejected at construction with the route field path', () => {
    const { chart } = newChart();
    const svc = reviews(chart);
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(110), svc.version('v2').withWeight(-10)] }] }),
      'test/vs', 'http[0].route[1].weight', '-10 is not a non-negative integer');
  });
});

describe('hosts and gateways across namespaces', () => {
  test('destination host is the short name in the same namespace and the FQDN from another chart namespace', () => {
    const app = newApp();
    const backend = new Chart(app, 'backend', { namespace: 'shop' });
    const frontend = new Chart(app, 'frontend', { namespace: 'web' });
    const svc = reviews(backend);
    new VirtualService(backend, 'local', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    new VirtualService(frontend, 'remote', { hosts: [svc], http: [{ to: [svc.version('v2')] }] });

    const local = findDoc(docsOf(backend), 'VirtualService', 'local');
    expect(local.spec.hosts).toEqual(['reviews']);
    expect(local.spec.http[0].route[0].destination).toEqual({ host: 'reviews', subset: 'v1' });

    const remote = findDoc(docsOf(frontend), 'VirtualService', 'remote');
    expect(remote.metadata.namespace).toBe('web');
    expect(remote.spec.hosts).toEqual(['reviews.shop.svc.cluster.local']);
    expect(remote.spec.http[0].route[0].destination).toEqual({ host: 'reviews.shop.svc.cluster.local', subset: 'v2' });

    // The auto-created rule lives with the service and lists the versions routed from both namespaces.
    const rule = findDoc(docsOf(backend), 'DestinationRule', 'reviews');
    expect(rule.metadata.namespace).toBe('shop');
    expect(rule.spec.host).toBe('reviews');
    expect(rule.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(ofKind(docsOf(frontend), 'DestinationRule')).toEqual([]);
    expect(validationProblems(app)).toEqual([]);
  });

  test('an explicit rule for a MeshService in another namespace uses the FQDN as host', () => {
    const app = newApp();
    const backend = new Chart(app, 'backend', { namespace: 'shop' });
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const svc = reviews(backend);
    new DestinationRule(ops, 'reviews-rule', { host: svc, subsets: [Subset.version('v1')] });
    const rule = findDoc(docsOf(ops), 'DestinationRule', 'reviews-rule');
    expect(rule.spec.host).toBe('reviews.shop.svc.cluster.local');
  });

  test('a service in a chart without namespace is reached as <svc>.default.svc.cluster.local from elsewhere', () => {
    const app = newApp();
    const plain = new Chart(app, 'plain');
    const web = new Chart(app, 'web', { namespace: 'web' });
    const svc = reviews(plain, ['v1']);
    new VirtualService(web, 'vs', { hosts: ['reviews.example.com'], http: [{ to: [Destination.toService(svc)] }] });
    expect(findDoc(docsOf(web), 'VirtualService', 'vs').spec.http[0].route[0].destination).toEqual({ host: 'reviews.default.svc.cluster.local' });
  });

  test('gateways are referenced by name in the same namespace and as <ns>/<name> across namespaces', () => {
    const app = newApp();
    const ingress = new Chart(app, 'ingress', { namespace: 'istio-ingress' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const shared = new Gateway(ingress, 'public', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    const local = new Gateway(shop, 'shop-gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
    const svc = reviews(shop, ['v1']);
    new VirtualService(shop, 'vs', {
      hosts: ['shop.example.com'],
      gateways: [shared, local, 'other/legacy-gw', VirtualService.MESH],
      http: [{ to: [Destination.toService(svc)] }],
    });
    expect(shared.referenceFrom('shop')).toBe('istio-ingress/public');
    expect(shared.referenceFrom('istio-ingress')).toBe('public');
    const vs = findDoc(docsOf(shop), 'VirtualService', 'vs');
    expect(vs.spec.gateways).toEqual(['istio-ingress/public', 'shop-gw', 'other/legacy-gw', 'mesh']);
  });
});
