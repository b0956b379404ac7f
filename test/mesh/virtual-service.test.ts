import { Chart, Duration } from 'cdk8s';
import { Destination, Gateway, GatewayProtocol, GatewayTls, HttpMatch, MeshService, PortProtocol, StringMatch, VirtualService } from '../../lib';
import { docsOf, expectMeshError, expectProblem, findDoc, newChart, validationProblems } from '../support/constructs';

function setup(): { chart: Chart; svc: MeshService; gateway: Gateway } {
  const { chart } = newChart();
  const svc = new MeshService(chart, 'reviews', {
    port: 9080,
    versions: { v1: { image: 'reviews:v1' }, v2: { image: 'reviews:v2' }, v3: { image: 'reviews:v3' } },
  });
  const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
  return { chart, svc, gateway };
}

function httpOf(chart: Chart, name = 'vs'): any[] {
  return findDoc(docsOf(chart), 'VirtualService', name).spec.http;
}

describe('VirtualService rendering', () => {
  test('hosts, no gateways key when bound to the mesh only, name and match of each route, routes in order', () => {
    const { chart, svc } = setup();
    const vs = new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{ name: 'jason', match: [HttpMatch.header('end-user', StringMatch.exact('jason'))], to: [svc.version('v2')] }],
    });
    vs.addHttpRoute({ name: 'default', to: [svc.version('v1')] });
    const doc = findDoc(docsOf(chart), 'VirtualService', 'vs');
    expect(doc.apiVersion).toBe('networking.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'vs', namespace: 'shop' });
    expect(doc.spec.hosts).toEqual(['reviews']);
    expect(doc.spec).not.toHaveProperty('gateways');
    expect(doc.spec).not.toHaveProperty('tcp');
    expect(doc.spec).not.toHaveProperty('tls');
    expect(doc.spec.http).toEqual([
      { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { name: 'default', route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ]);
  });

  test('weights are emitted on every destination of a split', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(90), svc.version('v3').withWeight(10)] }] });
    expect(httpOf(chart)[0].route).toEqual([
      { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
      { destination: { host: 'reviews', subset: 'v3' }, weight: 10 },
    ]);
  });

  test('a split where some weights are 0 is accepted', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(100), svc.version('v2').withWeight(0)] }] });
    expect(httpOf(chart)[0].route.map((r: any) => r.weight)).toEqual([100, 0]);
  });

  test('gateways bind the routes and the wildcard host is allowed on a gateway-only VirtualService', () => {
    const { chart, svc, gateway } = setup();
    new VirtualService(chart, 'vs', { hosts: ['*'], gateways: [gateway], http: [{ match: [HttpMatch.prefix('/reviews')], to: [Destination.toService(svc)] }] });
    const doc = findDoc(docsOf(chart), 'VirtualService', 'vs');
    expect(doc.spec.hosts).toEqual(['*']);
    expect(doc.spec.gateways).toEqual(['gw']);
    expect(doc.spec.http[0]).toEqual({ match: [{ uri: { prefix: '/reviews' } }], route: [{ destination: { host: 'reviews' } }] });
  });

  test('timeout and perTryTimeout render as 2s and 250ms, retryOn joined with commas', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{
        to: [svc.version('v1')],
        timeout: Duration.seconds(2),
        retries: { attempts: 3, perTryTimeout: Duration.millis(250), retryOn: ['gateway-error', 'connect-failure', 'refused-stream'] },
      }],
    });
    const route = httpOf(chart)[0];
    expect(route.timeout).toBe('2s');
    expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '250ms', retryOn: 'gateway-error,connect-failure,refused-stream' });
  });

  test('durations: whole seconds as s, anything finer in ms', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [
        { to: [svc.version('v1')], timeout: Duration.minutes(1) },
        { to: [svc.version('v1')], timeout: Duration.millis(1500) },
        { to: [svc.version('v1')], retries: { attempts: 0 } },
      ],
    });
    const http = httpOf(chart);
    expect(http[0].timeout).toBe('60s');
    expect(http[1].timeout).toBe('1500ms');
    expect(http[2].retries).toEqual({ attempts: 0 });
  });

  test('fault delay and abort with percentage {value}', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [
        { to: [svc.version('v1')], fault: { delay: { fixedDelay: Duration.seconds(7), percentage: 100 } } },
        { to: [svc.version('v1')], fault: { abort: { httpStatus: 500, percentage: 12.5 } } },
        { to: [svc.version('v1')], fault: { delay: { fixedDelay: Duration.millis(300) }, abort: { httpStatus: 503 } } },
      ],
    });
    const http = httpOf(chart);
    expect(http[0].fault).toEqual({ delay: { percentage: { value: 100 }, fixedDelay: '7s' } });
    expect(http[1].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 12.5 } } });
    expect(http[2].fault).toEqual({ delay: { fixedDelay: '300ms' }, abort: { httpStatus: 503 } });
  });

  test('rewrite, mirror and mirrorPercentage', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{ to: [svc.version('v1')], rewrite: { uri: '/', authority: 'reviews.internal' }, mirror: svc.version('v2'), mirrorPercentage: 10 }],
    });
    const route = httpOf(chart)[0];
    expect(route.rewrite).toEqual({ uri: '/', authority: 'reviews.internal' });
    expect(route.mirror).toEqual({ host: 'reviews', subset: 'v2' });
    expect(route.mirrorPercentage).toEqual({ value: 10 });
  });

  test('a redirect route renders the redirect and no route', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', {
      hosts: [svc],
      http: [{ match: [HttpMatch.exact('/old')], redirect: { uri: '/new', authority: 'shop.example.com', scheme: 'https', redirectCode: 302 } }],
    });
    expect(httpOf(chart)[0]).toEqual({
      match: [{ uri: { exact: '/old' } }],
      redirect: { uri: '/new', authority: 'shop.example.com', scheme: 'https', redirectCode: 302 },
    });
  });

  test('TCP routes render match port and sourceLabels with their destinations', () => {
    const { chart } = newChart();
    const mongo = new MeshService(chart, 'mongodb', { ports: [{ port: 27017, protocol: PortProtocol.MONGO }], versions: { v1: { image: 'mongo:7' }, v2: { image: 'mongo:8' } } });
    new VirtualService(chart, 'vs', {
      hosts: [mongo],
      tcp: [
        { match: [{ port: 27017, sourceLabels: { app: 'ratings' } }], to: [mongo.version('v2')] },
        { to: [mongo.version('v1').withWeight(80), mongo.version('v2').withWeight(20)] },
      ],
    });
    const spec = findDoc(docsOf(chart), 'VirtualService', 'vs').spec;
    expect(spec).not.toHaveProperty('http');
    expect(spec.tcp).toEqual([
      { match: [{ port: 27017, sourceLabels: { app: 'ratings' } }], route: [{ destination: { host: 'mongodb', subset: 'v2' } }] },
      { route: [{ destination: { host: 'mongodb', subset: 'v1' }, weight: 80 }, { destination: { host: 'mongodb', subset: 'v2' }, weight: 20 }] },
    ]);
  });

  test('TLS routes render sniHosts with the L4 match', () => {
    const { chart } = setup();
    const gateway = new Gateway(chart, 'tls-gw', {
      servers: [{ port: 443, protocol: GatewayProtocol.TLS, hosts: ['secure.example.com'], tls: GatewayTls.passthrough() }],
    });
    new VirtualService(chart, 'vs', {
      hosts: ['secure.example.com'],
      gateways: [gateway],
      tls: [{ match: [{ sniHosts: ['secure.example.com'], port: 443 }], to: [Destination.toHost('secure.example.com', { port: 443 })] }],
    });
    expect(findDoc(docsOf(chart), 'VirtualService', 'vs').spec.tls).toEqual([
      { match: [{ sniHosts: ['secure.example.com'], port: 443 }], route: [{ destination: { host: 'secure.example.com', port: { number: 443 } } }] },
    ]);
  });

  test('exportTo is emitted when set', () => {
    const { chart, svc } = setup();
    new VirtualService(chart, 'vs', { hosts: [svc], exportTo: ['.'], http: [{ to: [svc.version('v1')] }] });
    expect(findDoc(docsOf(chart), 'VirtualService', 'vs').spec.exportTo).toEqual(['.']);
  });
});

describe('VirtualService errors', () => {
  test('props of the wrong kind (JavaScript or a cast) are refused with the field, before anything fails deep inside', () => {
    const { chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'web:1' } } });
    const v1 = web.version('v1');
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['to-name', { hosts: [web], http: [{ to: ['web'] }] }, 'http[0].to[0]', 'must be a Destination, not "web"'],
      ['to-service', { hosts: [web], http: [{ to: [web] }] }, 'http[0].to[0]', 'must be a Destination, not a MeshService'],
      ['to-single', { hosts: [web], http: [{ to: v1 }] }, 'http[0].to', 'must be a list, not a Destination'],
      ['mirror', { hosts: [web], http: [{ to: [v1], mirror: web }] }, 'http[0].mirror', 'must be a Destination, not a MeshService'],
      ['tcp-to', { hosts: [web], tcp: [{ to: ['web'] }] }, 'tcp[0].to[0]', 'must be a Destination'],
      ['http-object', { hosts: [web], http: { to: [v1] } }, 'http', 'must be a list, not a plain object'],
      ['gateways-name', { hosts: ['shop.example.com'], gateways: 'shop-gateway', http: [{ to: [v1] }] }, 'gateways', 'must be a list, not "shop-gateway"'],
      ['gateways-service', { hosts: ['shop.example.com'], gateways: [web], http: [{ to: [v1] }] }, 'gateways[0]',
        'must be a Gateway or a gateway name, not a MeshService'],
      ['hosts-name', { hosts: 'web', http: [{ to: [v1] }] }, 'hosts', 'must be a list, not "web"'],
      ['match-object', { hosts: [web], http: [{ match: [{ uri: { prefix: '/api' } }], to: [v1] }] }, 'http[0].match[0]',
        'must be a HttpMatch, not a plain object'],
      ['match-single', { hosts: [web], http: [{ match: HttpMatch.prefix('/api'), to: [v1] }] }, 'http[0].match', 'must be a list, not a HttpMatch'],
    ];
    for (const [id, props, field, problem] of cases) {
      expectMeshError(() => new VirtualService(chart, id, props as never), `test/${id}`, field, problem);
    }
  });

  test('invalid name', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { name: 'Reviews_VS', hosts: [svc] }), 'test/vs', 'name', '"Reviews_VS"');
  });

  test('no hosts', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [] }), 'test/vs', 'hosts', 'at least one host');
  });

  test("'*' host without gateways", () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['*'], http: [{ to: [svc.version('v1')] }] }),
      'test/vs', 'hosts', 'wildcard host "*"', 'without VirtualService.MESH');
  });

  test("'*' host on gateways that include the mesh", () => {
    const { chart, svc, gateway } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['*'], gateways: [gateway, VirtualService.MESH], http: [{ to: [svc.version('v1')] }] }),
      'test/vs', 'hosts', 'wildcard host "*"');
  });

  test('split without weights', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(90), svc.version('v2')] }] }),
      'test/vs', 'http[0].route[1].weight', 'needs a weight on each', 'withWeight()');
  });

  test('all-zero weights', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(0), svc.version('v2').withWeight(0)] }] }),
      'test/vs', 'http[0].route', 'every weight is 0');
  });

  test('negative weight', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: 'a' }, v2: { image: 'b' } } });
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(-1), svc.version('v2').withWeight(2)] }] }),
      'test/vs', 'http[0].route[0].weight', '-1 is not a non-negative integer');
  });

  test('a route with neither to nor redirect', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ match: [HttpMatch.prefix('/')] }] }),
      'test/vs', 'http[0]', 'exactly one of to (destinations) and redirect');
  });

  test('a route with both to and redirect', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], redirect: { uri: '/x' } }] }),
      'test/vs', 'http[0]', 'exactly one of to (destinations) and redirect');
  });

  test('the field names the index of a route added later', () => {
    const { chart, svc } = setup();
    const vs = new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')] }] });
    expectMeshError(() => vs.addHttpRoute({}), 'test/vs', 'http[1]', 'exactly one of to');
  });

  test('redirect with rewrite', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ redirect: { uri: '/new' }, rewrite: { uri: '/other' } }] }),
      'test/vs', 'http[0].rewrite', 'a redirecting route cannot also rewrite');
  });

  test('mirrorPercentage without mirror', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], mirrorPercentage: 50 }] }),
      'test/vs', 'http[0].mirrorPercentage', 'mirrorPercentage without mirror');
  });

  test.each([101, -1])('mirrorPercentage %p', value => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], mirror: svc.version('v2'), mirrorPercentage: value }] }),
      'test/vs', 'http[0].mirrorPercentage', `${value} is not a percentage`, 'from 0 to 100');
  });

  test('fault delay percentage above 100', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [svc], http: [{ to: [svc.version('v1')], fault: { delay: { fixedDelay: Duration.seconds(1), percentage: 150 } } }],
    }), 'test/vs', 'http[0].fault.delay.percentage', '150 is not a percentage');
  });

  test('fault abort percentage below 0', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [svc], http: [{ to: [svc.version('v1')], fault: { abort: { httpStatus: 500, percentage: -5 } } }],
    }), 'test/vs', 'http[0].fault.abort.percentage', '-5 is not a percentage');
  });

  test.each([600, 199, 0, 500.5])('fault abort status %p', status => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [svc], http: [{ to: [svc.version('v1')], fault: { abort: { httpStatus: status } } }],
    }), 'test/vs', 'http[0].fault.abort.httpStatus', `${status} is not an HTTP status code`, 'from 200 to 599');
  });

  test('fault delay below 1ms', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [svc], http: [{ to: [svc.version('v1')], fault: { delay: { fixedDelay: Duration.millis(0) } } }],
    }), 'test/vs', 'http[0].fault.delay.fixedDelay', 'at least 1ms');
  });

  test('timeout that is not whole milliseconds', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], timeout: Duration.millis(0.5) }] }),
      'test/vs', 'http[0].timeout', '0.5ms is not a whole number of milliseconds');
  });

  test('negative retry attempts', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], retries: { attempts: -1 } }] }),
      'test/vs', 'http[0].retries.attempts', '-1 is not a number of retries');
  });

  test('redirect code out of range', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: [svc], http: [{ redirect: { uri: '/x', redirectCode: 999 } }] }),
      'test/vs', 'http[0].redirect.redirectCode', '999 is not a redirect status Envoy supports');
  });

  test('TLS route without matches', () => {
    const { chart, gateway } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: ['secure.example.com'], gateways: [gateway], tls: [{ match: [], to: [Destination.toHost('secure.example.com')] }],
    }), 'test/vs', 'tls[0].match', 'at least one SNI host each', 'sniHosts');
  });

  test('TLS route match without sniHosts', () => {
    const { chart, gateway } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: ['secure.example.com'],
      gateways: [gateway],
      tls: [{ match: [{ sniHosts: ['secure.example.com'] }, { sniHosts: [], port: 443 }], to: [Destination.toHost('secure.example.com')] }],
    }), 'test/vs', 'tls[0].match', 'at least one SNI host each');
  });

  test('TLS route split without weights', () => {
    const { chart, gateway } = setup();
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: ['secure.example.com'],
      gateways: [gateway],
      tls: [{ match: [{ sniHosts: ['secure.example.com'] }], to: [Destination.toHost('a.example.com'), Destination.toHost('b.example.com')] }],
    }), 'test/vs', 'tls[0].route[0].weight', 'needs a weight on each');
  });

  test('TCP route without destinations', () => {
    const { chart } = newChart();
    expectMeshError(() => new VirtualService(chart, 'vs', { hosts: ['db.example.com'], tcp: [{ to: [] }] }),
      'test/vs', 'tcp[0].route', 'at least one destination');
  });

  test('TCP route split without weights', () => {
    const { chart } = newChart();
    const vs = new VirtualService(chart, 'vs', { hosts: ['db.example.com'], tcp: [{ to: [Destination.toHost('db.example.com')] }] });
    expectMeshError(() => vs.addTcpRoute({ to: [Destination.toHost('a').withWeight(1), Destination.toHost('b')] }),
      'test/vs', 'tcp[1].route[1].weight', 'needs a weight on each');
  });
});

describe('route kinds and the host\'s port protocols', () => {
  const versions = { v1: { image: 'example/db:1' }, v2: { image: 'example/db:2' } };

  test('HTTP routes to a host with only TCP ports, and TCP or TLS routes to one with only HTTP ports, are refused: Istio never uses them', () => {
    const { app, chart } = newChart();
    const db = new MeshService(chart, 'db', { ports: [{ port: 5432, protocol: PortProtocol.TCP }], versions });
    const api = new MeshService(chart, 'api', { port: 8080, versions });
    new VirtualService(chart, 'db-route', { hosts: [db], http: [{ to: [db.version('v1')], timeout: Duration.seconds(2) }] });
    new VirtualService(chart, 'api-tcp', { hosts: [api], tcp: [{ to: [api.version('v1')] }] });
    new VirtualService(chart, 'api-tls', { hosts: [api], tls: [{ match: [{ sniHosts: [api.host] }], to: [api.version('v1')] }] });
    const problems = validationProblems(app);
    expectProblem(problems, 'test/db-route', 'http', 'test/db has no HTTP port (it has 5432 tcp)', 'http routes only to HTTP ports',
      'never be used', 'route the ports with tcp routes', 'protocol: PortProtocol.HTTP');
    expectProblem(problems, 'test/api-tcp', 'tcp', 'test/api has no TCP or TLS port (it has 8080 http)', 'route the ports with http routes');
    expectProblem(problems, 'test/api-tls', 'tls', 'test/api has no TLS port');
  });

  test('hosts of different protocols each take their kind of route; a host given by name may take any, so it is not judged', () => {
    const { app, chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8080, versions });
    const db = new MeshService(chart, 'db', { ports: [{ port: 5432, protocol: PortProtocol.TCP }], versions });
    new VirtualService(chart, 'both', { hosts: [web, db], http: [{ to: [web.version('v1')] }], tcp: [{ to: [db.version('v1')] }] });
    new VirtualService(chart, 'named', { hosts: [web, 'db.example.com'], tcp: [{ to: [db.version('v2')] }] });
    new VirtualService(chart, 'neither', { hosts: [web, db], tls: [{ match: [{ sniHosts: [web.host] }], to: [web.version('v1')] }] });
    const problems = validationProblems(app);
    expect(problems.filter(p => p.startsWith('test/both:') || p.startsWith('test/named:'))).toEqual([]);
    expectProblem(problems, 'test/neither', 'tls', 'no host has a TLS port (test/web: 8080 http; test/db: 5432 tcp)',
      'route the ports with http or tcp routes');
  });

  test('TCP routes to a TLS or HTTPS port, routes of each kind to a host with ports of each, and gateway-only routes are accepted', () => {
    const { app, chart } = newChart();
    const secure = new MeshService(chart, 'secure', { ports: [{ port: 443, protocol: PortProtocol.HTTPS }], versions });
    const mixed = new MeshService(chart, 'mixed', {
      ports: [{ port: 8080 }, { port: 6379, protocol: PortProtocol.REDIS }, { port: 8443, protocol: PortProtocol.TLS }], versions,
    });
    new VirtualService(chart, 'secure-tcp', { hosts: [secure], tcp: [{ to: [secure.version('v1')] }] });
    // an SNI host may name the MeshService fully qualified
    new VirtualService(chart, 'secure-tls', { hosts: [secure], tls: [{ match: [{ sniHosts: [secure.fqdn] }], to: [secure.version('v1')] }] });
    new VirtualService(chart, 'mixed-all', {
      hosts: [mixed],
      http: [{ to: [mixed.version('v1')] }],
      tcp: [{ to: [mixed.version('v2')] }],
      tls: [{ match: [{ sniHosts: [mixed.host] }], to: [mixed.version('v1')] }],
    });
    const gateway = new Gateway(chart, 'gw', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['db.example.com'] }] });
    const db = new MeshService(chart, 'db', { ports: [{ port: 5432, protocol: PortProtocol.TCP }], versions });
    // bound to a gateway only: the gateway's server decides, not the host's ports
    new VirtualService(chart, 'edge', { hosts: ['db.example.com'], gateways: [gateway], http: [{ to: [Destination.toService(db)] }] });
    expect(validationProblems(app).filter(p => p.includes('routes only to'))).toEqual([]);
  });
});

describe('route kinds and the servers of the bound Gateways', () => {
  const servers = {
    http: { port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] },
    terminated: { port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com'], tls: GatewayTls.simple('shop-cert') },
    passthrough: { port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com'], tls: GatewayTls.passthrough() },
    tcp: { port: 31400, protocol: GatewayProtocol.TCP, hosts: ['shop.example.com'] },
  };
  const sni = [{ sniHosts: ['shop.example.com'] }];

  test.each([
    ['tls routes on a terminating HTTPS server', [servers.terminated], 'tls', 'no server of test/gw takes tls routes', 'GatewayTls.passthrough()'],
    ['http routes on a passthrough server', [servers.passthrough], 'http', 'no server of test/gw takes http routes', 'HTTPS terminated'],
    ['http routes on a TCP server', [servers.tcp], 'http', 'no server of test/gw takes http routes', 'route with tcp routes'],
    ['tcp routes on an HTTP server', [servers.http], 'tcp', 'no server of test/gw takes tcp routes', 'serve TCP'],
  ])('%s are refused: the gateway never uses them', (_, gatewayServers, kind, ...fragments) => {
    const { app, chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'example/web:1' } } });
    const gateway = new Gateway(chart, 'gw', { servers: gatewayServers });
    const to = [Destination.toService(web)];
    new VirtualService(chart, 'edge', {
      hosts: ['shop.example.com'], gateways: [gateway], ...(kind === 'http' ? { http: [{ to }] } : kind === 'tls' ? { tls: [{ match: sni, to }] } : { tcp: [{ to }] }),
    });
    expectProblem(validationProblems(app), 'test/edge', kind, ...fragments, 'would never be used');
  });

  test('routes a server or the mesh takes are accepted, and a Gateway named by string is not judged', () => {
    const { app, chart } = newChart();
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'example/web:1' } } });
    const to = [Destination.toService(web)];
    const both = new Gateway(chart, 'both', { servers: [servers.http, servers.passthrough] });
    new VirtualService(chart, 'http-and-tls', { hosts: ['shop.example.com'], gateways: [both], http: [{ to }], tls: [{ match: sni, to }] });
    // the tcp routes serve the mesh's callers of db: a Gateway that takes none does not make them unused
    const db = new MeshService(chart, 'db', { ports: [{ port: 5432, protocol: PortProtocol.TCP }], versions: { v1: { image: 'example/db:1' } } });
    const plain = new Gateway(chart, 'plain', { servers: [servers.http] });
    new VirtualService(chart, 'mesh-too', { hosts: [db], gateways: [plain, VirtualService.MESH], tcp: [{ to: [Destination.toService(db)] }] });
    new VirtualService(chart, 'elsewhere', { hosts: ['shop.example.com'], gateways: ['istio-system/edge'], tcp: [{ to }] });
    expect(validationProblems(app).filter(p => p.includes('would never be used'))).toEqual([]);
  });
});
