import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import {
  AppAnalysis, AuthorizationPolicy, ClientTlsMode, Destination, DestinationRule, Gateway, GatewayProtocol, HttpMatch, MeshNamespace,
  MeshService, ServiceEntry, ServiceEntryResolution, StringMatch, VirtualService, writeManifests,
} from '../../lib';
import { docsOf, expectMeshError, expectProblem, findDoc, newChart, service, validationProblems } from '../support/constructs';

/** A new temporary folder, removed after the test file. */
const temporaryFolders: string[] = [];
function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}
afterAll(() => temporaryFolders.forEach(folder => fs.rmSync(folder, { recursive: true, force: true })));

// Rules Istio's validating webhook enforces beyond the CRD schemas: refused when the construct is
// built (or, for whole-resource rules, when the app is synthesized), never applied and rejected.

describe('VirtualService', () => {
  test('without any route is a synthesis problem', () => {
    const { app, chart } = newChart();
    new VirtualService(chart, 'vs', { hosts: ['a.example.com'] });
    expectProblem(validationProblems(app), 'test/vs', 'http', 'no routes');
  });

  test('fault injection on a redirecting route is refused', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['a.example.com'], http: [{ redirect: { uri: '/x' }, fault: { abort: { httpStatus: 500 } } }] }),
      'test/vs', 'http[0].fault', 'does not inject faults into a redirecting route');
  });

  test('TLS route SNI hosts must be covered by the VirtualService hosts', () => {
    const { chart } = newChart();
    const to = [Destination.toHost('backend.example.com')];
    expect(() => new VirtualService(chart, 'ok', { hosts: ['*.example.com'], tls: [{ match: [{ sniHosts: ['a.example.com'] }], to }] })).not.toThrow();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['a.example.com'], tls: [{ match: [{ sniHosts: ['b.example.com'] }], to }] }),
      'test/vs', 'tls[0].match[0].sniHosts[0]', 'SNI host "b.example.com" is not one of the VirtualService\'s hosts');
  });

  test('exportTo takes ".", "*" or namespace names', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['a.example.com'], exportTo: ['Not A Namespace'], http: [{ to: [Destination.toHost('a.example.com')] }] }),
      'test/vs', 'exportTo[0]', 'is not ".", "*" or a namespace name');
  });

  test('a prefix query parameter match is refused (Istio matches them exactly or by regex)', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: ['a.example.com'], http: [{ match: [HttpMatch.queryParam('v', StringMatch.prefix('2'))], to: [Destination.toHost('a.example.com')] }],
    }), 'test/vs', 'http[0].match[0].queryParams.v', 'not by prefix');
  });

  test('a URI match no request path satisfies (not starting with "/") is refused; an empty prefix matches every path', () => {
    const { chart } = newChart();
    const route = (match: HttpMatch) => ({ hosts: ['a.example.com'], http: [{ match: [match], to: [Destination.toHost('a.example.com')] }] });
    expectMeshError(() => new VirtualService(chart, 'p', route(HttpMatch.prefix('api'))), 'test/p', 'http[0].match[0].uri.prefix',
      '"api" never matches: request paths start with "/"', 'write "/api"');
    expectMeshError(() => new VirtualService(chart, 'e', route(HttpMatch.exact(''))), 'test/e', 'http[0].match[0].uri.exact', '"" never matches');
    expect(() => new VirtualService(chart, 'ok', route(HttpMatch.prefix('').and(HttpMatch.method('get'))))).not.toThrow();
    expect(() => new VirtualService(chart, 'ok2', route(HttpMatch.exact('/api')))).not.toThrow();
  });
});

describe('AuthorizationPolicy', () => {
  test('an empty source or operation, or a condition without values, is refused', () => {
    const { chart } = newChart();
    expectMeshError(() => new AuthorizationPolicy(chart, 'a', { rules: [{ from: [{}] }] }), 'test/a', 'rules[0].from[0].source', 'empty source');
    expectMeshError(() => new AuthorizationPolicy(chart, 'b', { rules: [{ to: [{}] }] }), 'test/b', 'rules[0].to[0].operation', 'empty operation');
    expectMeshError(() => new AuthorizationPolicy(chart, 'c', { rules: [{ when: [{ key: 'request.headers[x-env]' }] }] }), 'test/c', 'rules[0].when[0]', 'neither values nor notValues');
  });
});

describe('DestinationRule and ServiceEntry', () => {
  test('ISTIO_MUTUAL with a credentialName is refused', () => {
    const { chart } = newChart();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'a', trafficPolicy: { tls: { mode: ClientTlsMode.ISTIO_MUTUAL, credentialName: 'x' } } }),
      'test/dr', 'trafficPolicy.tls.credentialName', 'takes no credentialName');
  });

  test('STATIC resolution needs IP endpoints', () => {
    const { chart } = newChart();
    const props = { hosts: ['db.internal'], ports: [{ number: 5432, protocol: 'TCP' as const }], resolution: ServiceEntryResolution.STATIC };
    expect(() => new ServiceEntry(chart, 'ok', { ...props, endpoints: [{ address: '10.0.0.7' }, { address: '2001:db8::1' }] })).not.toThrow();
    expectMeshError(() => new ServiceEntry(chart, 'se', { ...props, endpoints: [{ address: 'db1.internal' }] }),
      'test/se', 'endpoints[0].address', 'is not an IP address');
  });
});

describe('Gateway hosts', () => {
  test('hosts are DNS names, wildcards or namespace-scoped', () => {
    const { chart } = newChart();
    expect(() => new Gateway(chart, 'ok', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com', '*.example.com', '*', 'shop/*', './a.example.com', '*/b.example.com'] }] })).not.toThrow();
    expectMeshError(() => new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['Bad Host!'] }] }),
      'test/gw', 'servers[0].hosts[0]', 'is not a host Istio accepts');
  });
});

describe('MeshService pass-through fields', () => {
  test('replicas and resource quantities are checked when the version is added', () => {
    const { chart } = newChart();
    expectMeshError(() => service(chart, 'a', { versions: { v1: { image: 'x', replicas: -1.5 } } }), 'test/a', 'versions.v1.replicas', 'is not a number of pods');
    expectMeshError(() => service(chart, 'b', { versions: { v1: { image: 'x', requests: { cpu: 'lots' } } } }), 'test/b', 'versions.v1.requests.cpu', 'is not a Kubernetes quantity');
    expect(() => service(chart, 'c', { versions: { v1: { image: 'x', requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '1Gi' } } } })).not.toThrow();
  });

  test('a raw ApiObject the Kubernetes API rejects fails the synth (objects outside the typed constructs are schema-checked)', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'x', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } } } });
    new ApiObject(chart, 'raw', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', securityContext: { runAsUser: 'root' } }] } } } });
    const outdir = temporaryFolder('cdk8s-istio-webhook-');
    expect(() => writeManifests(app, { outdir })).toThrow(/\[IST0106\] \(Deployment shop\/raw\) Schema validation error: spec\.template\.spec\.containers\[0\]\.securityContext\.runAsUser: .*construct shop\/raw/);
  });
});

describe('DestinationRules across charts', () => {
  test('a rule in an overlay chart for a base service leaves the base rule routing created', () => {
    const { app, chart } = newChart();
    const svc = service(chart, 'api', { versions: { v1: { image: 'x' }, v2: { image: 'y' } } });
    new VirtualService(chart, 'route', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    const overlay = new Chart(app, 'overlay', { namespace: 'shop' });
    AppAnalysis.of(app).addOverlay(overlay);
    new DestinationRule(overlay, 'api-rule', { name: 'api', host: svc });
    expect(findDoc(docsOf(chart), 'DestinationRule', 'api').spec.subsets.map((s: { name: string }) => s.name)).toEqual(['v1']);
    expect(svc.destinationRule?.node.path).toBe('test/api/DestinationRule');
  });
});

describe('nothing invalid is written: webhook and API-server rules over every synthesized document', () => {
  /** A fresh app with chart `shop` (namespace shop, enrolled), where `build` adds the mistake. */
  function appWith(build: (chart: Chart) => void): App {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    build(chart);
    return app;
  }

  /** Asserts writeManifests() fails naming the construct path, the field and the fix, and writes nothing. */
  function expectRefused(app: App, constructPath: string, field: string, ...fragments: string[]): void {
    const outdir = path.join(temporaryFolder('cdk8s-istio-admission-'), 'out');
    let message = '';
    try {
      writeManifests(app, { outdir });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    const line = message.split('\n').find(l => l.includes(field) && l.includes(constructPath));
    if (line === undefined) throw new Error(`no problem line names ${constructPath} and ${field}:\n${message}`);
    expect(line).toContain('Fix: ');
    for (const fragment of fragments) expect(line).toContain(fragment);
    expect(message).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(outdir)).toBe(false);
  }

  const orders = (chart: Chart, version: Record<string, unknown> = {}) =>
    new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'registry.example.com/orders:1.0', ...version } } });

  test('an image with a space, or none: refused when the service is declared, and in a raw Deployment at synth', () => {
    appWith(chart => expectMeshError(() => orders(chart, { image: 'Bad Image' }), 'shop/orders', 'versions.v1.image', 'whitespace', 'no spaces'));
    appWith(chart => expectMeshError(() => orders(chart, { image: undefined }), 'shop/orders', 'versions.v1.image',
      'the container has no image (undefined)'));
    const app = appWith(chart => new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'raw' },
      spec: { selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'app', image: 'Bad Image' }] } } },
    }));
    expectRefused(app, 'shop/raw', 'spec.template.spec.containers[0].image', 'whitespace');
  });

  test('a VirtualService regex with lookahead: refused when the route is added, and in a raw object at synth', () => {
    appWith(chart => {
      const svc = orders(chart);
      expectMeshError(() => new VirtualService(chart, 'route', { hosts: [svc], http: [{ match: [HttpMatch.regex('(?=x)')], to: [svc.version('v1')] }] }),
        'shop/route', 'http[0].match[0].uri.regex', 'not an RE2 regex', 'no lookaround');
    });
    const app = appWith(chart => new ApiObject(chart, 'raw-route', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'raw-route' },
      spec: { hosts: ['orders'], http: [{ match: [{ uri: { regex: '(?=x)' } }], route: [{ destination: { host: 'orders' } }] }] },
    }));
    expectRefused(app, 'shop/raw-route', 'spec.http[0].match[0].uri.regex', 'not an RE2 regex', 'no lookaround');
  });

  test('a retryOn typo, and attempts 0 with retryOn', () => {
    appWith(chart => {
      const svc = orders(chart);
      expectMeshError(() => new VirtualService(chart, 'a', { hosts: [svc], http: [{ to: [svc.version('v1')], retries: { attempts: 3, retryOn: ['5xx,oops'] } }] }),
        'shop/a', 'http[0].retries.retryOn[0]', '"oops"', 'gateway-error');
      expectMeshError(() => new VirtualService(chart, 'b', { hosts: [svc], http: [{ to: [svc.version('v1')], retries: { attempts: 0, retryOn: ['5xx'] } }] }),
        'shop/b', 'http[0].retries.attempts', 'attempts 0 disables retries', 'set attempts to 1 or more');
    });
    const app = appWith(chart => new ApiObject(chart, 'raw-route', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'raw-route' },
      spec: { hosts: ['orders'], http: [{ route: [{ destination: { host: 'orders' } }], retries: { attempts: 2, retryOn: '5xx,oops' } }] },
    }));
    expectRefused(app, 'shop/raw-route', 'spec.http[0].retries.retryOn', '"oops" is not a retry condition');
  });

  test('a ServiceEntry address that is not an IP, or a host with a scheme', () => {
    const props = { ports: [{ number: 443, protocol: 'HTTPS' as const }], resolution: ServiceEntryResolution.DNS };
    appWith(chart => {
      expectMeshError(() => new ServiceEntry(chart, 'a', { ...props, hosts: ['payments.example.com'], addresses: ['not-an-ip'] }),
        'shop/a', 'addresses[0]', '"not-an-ip" is not an IP address or CIDR block');
      expectMeshError(() => new ServiceEntry(chart, 'b', { ...props, hosts: ['https://payments.example.com'] }), 'shop/b', 'hosts[0]', 'a host has no scheme');
    });
    const app = appWith(chart => new ApiObject(chart, 'raw-entry', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'raw-entry' },
      spec: { hosts: ['payments.example.com'], addresses: ['not-an-ip'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' },
    }));
    expectRefused(app, 'shop/raw-entry', 'spec.addresses[0]', '"not-an-ip" is not an IP address or CIDR block');
  });

  test('raw ApiObjects are held to the same rules: env var names, volume names, probe ports, quantities', () => {
    const app = appWith(chart => {
      new ApiObject(chart, 'raw', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'raw' },
        spec: {
          selector: { matchLabels: { app: 'raw' } },
          template: {
            metadata: { labels: { app: 'raw' } },
            spec: {
              volumes: [{ name: 'Data_Vol', emptyDir: {} }],
              containers: [{
                name: 'raw',
                image: 'nginx:1.27',
                env: [{ name: 'DB=HOST', value: 'db' }],
                readinessProbe: { httpGet: { path: '/', port: 0 } },
                resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
              }],
            },
          },
        },
      });
    });
    const C = 'spec.template.spec.containers[0]';
    expectRefused(app, 'shop/raw', `${C}.env[0].name`, 'DB=HOST');
    expectRefused(app, 'shop/raw', 'spec.template.spec.volumes[0].name', 'Data_Vol');
    expectRefused(app, 'shop/raw', `${C}.readinessProbe.httpGet.port`, '0 is not a port number');
    expectRefused(app, 'shop/raw', `${C}.resources.requests.cpu`, 'above its limit');
  });

  test('an escape-hatch override on a library object is checked too', () => {
    const app = appWith(chart => {
      const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
      const svc = orders(chart);
      new VirtualService(chart, 'ingress', { hosts: ['shop.example.com'], gateways: [gateway], http: [{ to: [svc.version('v1')] }] });
      gateway.resource.addJsonPatch(JsonPatch.replace('/spec/servers/0/hosts/0', 'https://shop.example.com'));
    });
    expectRefused(app, 'shop/gw', 'spec.servers[0].hosts[0]', 'a host has no scheme');
  });

  test('a valid app still writes', () => {
    const app = appWith(chart => {
      const svc = orders(chart, { env: { DB_HOST: 'db' } });
      new VirtualService(chart, 'route', { hosts: [svc], http: [{ match: [HttpMatch.regex('^/api/v[0-9]+/.*$')], to: [svc.version('v1')], retries: { attempts: 2, retryOn: ['5xx', 'reset'] } }] });
    });
    const outdir = path.join(temporaryFolder('cdk8s-istio-admission-'), 'out');
    expect(writeManifests(app, { outdir }).files).toEqual(['shop.yaml']);
  });
});
