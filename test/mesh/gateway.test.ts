import { Gateway, GatewayProtocol, GatewayServer, GatewayTls, MeshConfigError, TlsProtocolVersion } from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

const HTTP: GatewayServer = { port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] };

function specOf(...servers: GatewayServer[]): any {
  const { chart } = newChart();
  new Gateway(chart, 'gw', { servers });
  return findDoc(docsOf(chart), 'Gateway', 'gw').spec;
}

function serverError(servers: GatewayServer[], field: string, ...fragments: string[]): void {
  const { chart } = newChart();
  expectMeshError(() => new Gateway(chart, 'gw', { servers }), 'test/gw', field, ...fragments);
}

describe('Gateway rendering', () => {
  test('default selector istio: ingressgateway and an HTTP server without tls', () => {
    const { chart } = newChart();
    new Gateway(chart, 'gw', { servers: [HTTP] });
    const doc = findDoc(docsOf(chart), 'Gateway', 'gw');
    expect(doc.apiVersion).toBe('networking.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'gw', namespace: 'shop' });
    expect(doc.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }],
    });
  });

  test('custom selector, name and port name', () => {
    const { chart } = newChart();
    const gw = new Gateway(chart, 'gw', {
      name: 'egress',
      selector: { istio: 'egressgateway' },
      servers: [{ port: 443, protocol: GatewayProtocol.TLS, portName: 'tls-egress', hosts: ['api.example.com'], tls: GatewayTls.passthrough() }],
    });
    expect(gw.name).toBe('egress');
    const spec = findDoc(docsOf(chart), 'Gateway', 'egress').spec;
    expect(spec.selector).toEqual({ istio: 'egressgateway' });
    expect(spec.servers[0].port).toEqual({ number: 443, name: 'tls-egress', protocol: 'TLS' });
  });

  test('HTTP server with httpsRedirect renders tls.httpsRedirect', () => {
    expect(specOf({ ...HTTP, httpsRedirect: true }).servers[0]).toEqual({
      port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true },
    });
  });

  test('GatewayTls.simple renders mode SIMPLE, credentialName and minProtocolVersion', () => {
    const server = specOf({
      port: 443,
      protocol: GatewayProtocol.HTTPS,
      hosts: ['shop.example.com'],
      tls: GatewayTls.simple('shop-cert', { minProtocolVersion: TlsProtocolVersion.TLSV1_3 }),
    }).servers[0];
    expect(server).toEqual({
      port: { number: 443, name: 'https', protocol: 'HTTPS' },
      hosts: ['shop.example.com'],
      tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_3' },
    });
  });

  test('GatewayTls.simple without options renders only mode and credentialName', () => {
    const tls = GatewayTls.simple('shop-cert');
    expect(tls.mode).toBe('SIMPLE');
    expect(tls.credentialName).toBe('shop-cert');
    expect(specOf({ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['*'], tls }).servers[0].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-cert' });
  });

  test('GatewayTls.mutual renders MUTUAL with subjectAltNames', () => {
    expect(specOf({
      port: 443,
      protocol: GatewayProtocol.HTTPS,
      hosts: ['partner.example.com'],
      tls: GatewayTls.mutual('partner-cert', { subjectAltNames: ['partner.example.org'], minProtocolVersion: TlsProtocolVersion.TLSV1_2 }),
    }).servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: 'partner-cert', minProtocolVersion: 'TLSV1_2', subjectAltNames: ['partner.example.org'] });
  });

  test('GatewayTls.passthrough renders only the mode, on HTTPS and TLS servers', () => {
    const spec = specOf(
      { port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['a.example.com'], tls: GatewayTls.passthrough() },
      { port: 8443, protocol: GatewayProtocol.TLS, hosts: ['b.example.com'], tls: GatewayTls.passthrough() },
    );
    expect(spec.servers.map((s: any) => s.tls)).toEqual([{ mode: 'PASSTHROUGH' }, { mode: 'PASSTHROUGH' }]);
    expect(GatewayTls.passthrough().credentialName).toBeUndefined();
  });

  test('the same port with the same protocol may serve several hosts in separate servers', () => {
    const spec = specOf(
      { port: 443, protocol: GatewayProtocol.HTTPS, portName: 'https-a', hosts: ['a.example.com'], tls: GatewayTls.simple('a-cert') },
      { port: 443, protocol: GatewayProtocol.HTTPS, portName: 'https-b', hosts: ['b.example.com'], tls: GatewayTls.simple('b-cert') },
    );
    expect(spec.servers.map((s: any) => [s.port.number, s.port.name, s.tls.credentialName])).toEqual([[443, 'https-a', 'a-cert'], [443, 'https-b', 'b-cert']]);
  });

  test('addServer appends, hosts lists every served host once, referenceFrom qualifies other namespaces', () => {
    const { chart } = newChart();
    const gw = new Gateway(chart, 'gw', { servers: [HTTP] });
    gw.addServer({ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com', 'api.example.com'], tls: GatewayTls.simple('cert') });
    expect(gw.hosts).toEqual(['shop.example.com', 'api.example.com']);
    expect(gw.namespace).toBe('shop');
    expect(gw.referenceFrom('shop')).toBe('gw');
    expect(gw.referenceFrom('web')).toBe('shop/gw');
    expect(findDoc(docsOf(chart), 'Gateway', 'gw').spec.servers.map((s: any) => s.port.number)).toEqual([80, 443]);
  });

  // Istio rejects a Gateway whose servers repeat a port name.
  test('servers never share a port name (Istio rejects duplicates)', () => {
    const { chart } = newChart();
    let names: string[];
    try {
      new Gateway(chart, 'gw', {
        servers: [
          { port: 80, protocol: GatewayProtocol.HTTP, hosts: ['a.example.com'] },
          { port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['b.example.com'] },
        ],
      });
      names = findDoc(docsOf(chart), 'Gateway', 'gw').spec.servers.map((s: any) => s.port.name);
    } catch (e) {
      // Rejecting is a correct fix too, as long as it is a MeshConfigError about the port name.
      expect(e).toBeInstanceOf(MeshConfigError);
      expect((e as MeshConfigError).field).toMatch(/^servers\[1\]\.port/);
      return;
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('Gateway errors', () => {
  test('empty selector', () => {
    const { chart } = newChart();
    expectMeshError(() => new Gateway(chart, 'gw', { selector: {}, servers: [HTTP] }), 'test/gw', 'selector', 'empty selector');
  });

  test('invalid name', () => {
    const { chart } = newChart();
    expectMeshError(() => new Gateway(chart, 'gw', { name: 'Shop_GW', servers: [HTTP] }), 'test/gw', 'name', '"Shop_GW"');
  });

  test('HTTPS server without tls', () => {
    serverError([HTTP, { port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com'] }],
      'servers[1].tls', 'a server of protocol HTTPS needs TLS settings', 'GatewayTls.simple');
  });

  test('TLS server without tls', () => {
    serverError([{ port: 443, protocol: GatewayProtocol.TLS, hosts: ['shop.example.com'] }], 'servers[0].tls', 'a server of protocol TLS needs TLS settings');
  });

  test('tls on an HTTP server', () => {
    serverError([{ ...HTTP, tls: GatewayTls.simple('cert') }], 'servers[0].tls', 'a server of protocol HTTP does not use TLS settings');
  });

  test('tls on a TCP server', () => {
    serverError([{ port: 3306, protocol: GatewayProtocol.TCP, hosts: ['*'], tls: GatewayTls.passthrough() }], 'servers[0].tls', 'a server of protocol TCP does not use TLS settings');
  });

  test('httpsRedirect on an HTTPS server', () => {
    serverError([{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['*'], tls: GatewayTls.simple('cert'), httpsRedirect: true }],
      'servers[0].httpsRedirect', 'only an HTTP server can redirect');
  });

  test('the same port with two protocols', () => {
    serverError([HTTP, { port: 80, protocol: GatewayProtocol.TCP, hosts: ['*'] }], 'servers[1].port', 'port 80 is already served as HTTP');
  });

  test('empty hosts', () => {
    serverError([{ ...HTTP, hosts: [] }], 'servers[0].hosts', 'at least one host');
  });

  test('hosts or a port of the wrong kind (JavaScript or a cast) are named as such', () => {
    serverError([{ ...HTTP, hosts: 'shop.example.com' as never }], 'servers[0].hosts', 'must be a list, not "shop.example.com"');
    serverError([{ ...HTTP, port: '443' as never }], 'servers[0].port', 'must be a port number, not "443"');
  });

  test.each([0, 65536, 443.5])('port %p', port => {
    serverError([{ ...HTTP, port }], 'servers[0].port', `${port} is not a port number`);
  });

  test('addServer names the index of the new server', () => {
    const { chart } = newChart();
    const gw = new Gateway(chart, 'gw', { servers: [HTTP] });
    expectMeshError(() => gw.addServer({ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['*'] }), 'test/gw', 'servers[1].tls');
  });

  test('no servers fails when the gateway is rendered', () => {
    const { chart } = newChart();
    const gw = new Gateway(chart, 'gw');
    expect(() => chart.toJson()).toThrow(/test\/gw: servers: the gateway has no servers\. Fix: add one with addServer\(\)/);
    gw.addServer(HTTP);
    expect(findDoc(docsOf(chart), 'Gateway', 'gw').spec.servers).toHaveLength(1);
  });
});
