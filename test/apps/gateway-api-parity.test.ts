import { App, Chart } from 'cdk8s';
import { bookinfoGatewayApiApp } from '../../apps/bookinfo';
import { helloGatewayApiApp } from '../../apps/hello';
import { Destination, Gateway, GatewayProtocol, MeshService, PortProtocol, RoutingApi, VirtualService, useRoutingApi } from '../../lib';
import { keyOf, normalize, readReference, testNeeding } from '../support/reference';

/**
 * Parity of the Gateway API renderings with Istio's Gateway API samples: each upstream document is
 * reproduced field by field. The intentional differences, and only these:
 * - every resource carries `metadata.namespace` (masked by normalize());
 * - a listener always states `allowedRoutes.namespaces` (upstream's tcp-echo leaves it to the CRD's
 *   default, `from: Same`, which upstream's documents get here before the comparison);
 * - the per-version Services (bookinfo-versions.yaml, helloworld-versions.yaml, tcp-echo's) are in
 *   the app's base file, created because the app's routes name those versions; so tcp-echo's all-v1
 *   step has no `tcp-echo-v2` Service until a route names v2 (upstream declares it ahead).
 */
const SAMPLES = 'istio/samples';
const parityTest = testNeeding(`reference/${SAMPLES}/bookinfo/gateway-api`);

/** Upstream's documents of a file, with the CRD's default for a listener's allowedRoutes.namespaces applied. */
function upstream(file: string): Record<string, any>[] {
  return readReference(`${SAMPLES}/${file}`).map(d => {
    if (d.kind !== 'Gateway') return d;
    const listeners = d.spec.listeners.map((l: any) => ({
      ...l, allowedRoutes: { namespaces: { from: 'Same' }, ...l.allowedRoutes },
    }));
    return { ...d, spec: { ...d.spec, listeners } };
  });
}

/** Our documents of the charts `fileOf` maps to `file`. */
function docsOf(build: { app: App; fileOf: (chart: Chart) => string }, file: string): Record<string, any>[] {
  return build.app.charts.filter(c => build.fileOf(c) === file).flatMap(c => c.toJson());
}

/** Expects each upstream document of `file` among `ours`, equal but for the documented differences. */
function expectReproduced(file: string, ours: Record<string, any>[], except: readonly string[] = []): void {
  for (const ref of upstream(file).filter(d => !except.includes(keyOf(d)))) {
    const key = keyOf(ref);
    const mine = ours.find(d => keyOf(d) === key && d.apiVersion === ref.apiVersion);
    expect({ file, key, doc: mine && normalize(mine) }).toEqual({ file, key, doc: normalize(ref) });
  }
}

describe('Bookinfo rendered to the Gateway API, at parity with samples/bookinfo/gateway-api', () => {
  const build = bookinfoGatewayApiApp();
  const base = docsOf(build, 'bookinfo.yaml');

  parityTest.each([
    ['bookinfo/gateway-api/bookinfo-gateway.yaml', 'bookinfo.yaml'],
    ['bookinfo/gateway-api/route-all-v1.yaml', 'bookinfo.yaml'],
    ['bookinfo/gateway-api/route-all-v1.yaml', 'scenarios/virtual-service-all-v1.yaml'],
    ['bookinfo/gateway-api/route-reviews-v1.yaml', 'bookinfo.yaml'],
    ['bookinfo/gateway-api/route-reviews-v3.yaml', 'scenarios/virtual-service-reviews-v3.yaml'],
    ['bookinfo/gateway-api/route-reviews-50-v3.yaml', 'scenarios/virtual-service-reviews-50-v3.yaml'],
    ['bookinfo/gateway-api/route-reviews-90-10.yaml', 'scenarios/virtual-service-reviews-90-10.yaml'],
    ['bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo.yaml'],
  ])('%s is reproduced by %s', (file, ours) => expectReproduced(file, docsOf(build, ours)));

  test('the base file has no DestinationRule, and no classic networking kind', () => {
    expect(base.filter(d => d.apiVersion.startsWith('networking.istio.io/'))).toEqual([]);
  });

  test('the version Services are exactly those the routes name (every deployed version, as bookinfo-versions.yaml)', () => {
    const versions = base.filter(d => d.kind === 'Service' && d.spec.selector.version !== undefined).map(d => d.metadata.name).sort();
    expect(versions).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
  });
});

describe('helloworld rendered to the Gateway API, at parity with samples/helloworld/gateway-api', () => {
  const build = helloGatewayApiApp();

  parityTest.each([
    ['helloworld/gateway-api/helloworld-gateway.yaml', 'helloworld.yaml'],
    ['helloworld/gateway-api/helloworld-versions.yaml', 'helloworld.yaml'],
    ['helloworld/gateway-api/helloworld-route.yaml', 'scenarios/helloworld-v1-90-v2-10.yaml'],
  ])('%s is reproduced by %s', (file, ours) => expectReproduced(file, docsOf(build, ours)));
});

/** An app of one chart rendered to the Gateway API. */
function gatewayApiChart(): { app: App; chart: Chart } {
  const app = new App();
  useRoutingApi(app, RoutingApi.GATEWAY_API);
  return { app, chart: new Chart(app, 'sample', { namespace: 'sample' }) };
}

describe('tcp-echo and httpbin built with the constructs, at parity with their gateway-api samples', () => {
  /** tcp-echo's Gateway on 31400 and its TCP route to v1, or 80/20 between v1 and v2. */
  function tcpEcho(split: boolean): Record<string, any>[] {
    const { chart } = gatewayApiChart();
    const echo = new MeshService(chart, 'tcp-echo', {
      ports: [{ port: 9000, protocol: PortProtocol.TCP }],
      versions: { v1: { image: 'docker.io/istio/tcp-echo-server:1.3' }, v2: { image: 'docker.io/istio/tcp-echo-server:1.3' } },
    });
    const gateway = new Gateway(chart, 'tcp-echo-gateway', {
      servers: [{ port: 31400, protocol: GatewayProtocol.TCP, portName: 'tcp-31400', hosts: ['*'] }],
    });
    const to = split ? [echo.version('v1').withWeight(80), echo.version('v2').withWeight(20)] : [echo.version('v1')];
    new VirtualService(chart, 'tcp-echo-route', { name: 'tcp-echo', hosts: ['*'], gateways: [gateway], tcp: [{ to }] });
    return chart.toJson();
  }

  parityTest('tcp-echo-all-v1.yaml (Gateway, version Services, TCPRoute to v1)', () => {
    const ours = tcpEcho(false);
    expectReproduced('tcp-echo/gateway-api/tcp-echo-all-v1.yaml', ours, ['Service/tcp-echo-v2']);
    expect(ours.map(keyOf)).not.toContain('Service/tcp-echo-v2');
  });

  parityTest('tcp-echo-20-v2.yaml (TCPRoute 80/20)', () => {
    expectReproduced('tcp-echo/gateway-api/tcp-echo-20-v2.yaml', tcpEcho(true));
  });

  parityTest('httpbin-gateway.yaml (a listener open to routes of all namespaces: hosts */*)', () => {
    const { chart } = gatewayApiChart();
    const httpbin = new MeshService(chart, 'httpbin', {
      ports: [{ port: 8000, targetPort: 8080, name: 'http' }], versions: { v1: { image: 'docker.io/mccutchen/go-httpbin:v2.15.0' } },
    });
    const gateway = new Gateway(chart, 'httpbin-gateway', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*/*'] }] });
    new VirtualService(chart, 'httpbin-route', {
      name: 'httpbin', hosts: ['*'], gateways: [gateway], http: [{ to: [Destination.toService(httpbin, { port: 8000 })] }],
    });
    expectReproduced('httpbin/gateway-api/httpbin-gateway.yaml', chart.toJson());
  });
});
