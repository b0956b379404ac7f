import { findings, gateway, obj, pod, reported } from './support';
import { analyze } from '../../../lib/analysis/analyze';

const INGRESS = { istio: 'ingressgateway' };
const tls = (credentialName: string) => ({
  port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName },
});

describe('IST0145 compares the gateway workloads the selectors pick, and hosts as written', () => {
  test('a selector that is a subset of another conflicts when a pod carries both', () => {
    const docs = [
      gateway('shop/a', { ...INGRESS, team: 'shop' }, [{ hosts: ['shop.example.com'] }]),
      gateway('other/b', INGRESS, [{ hosts: ['shop.example.com'] }]),
      pod('istio-system/gw', { ...INGRESS, team: 'shop' }),
    ];
    expect(findings('IST0145', docs)).toEqual([
      'Gateway/other/b spec.servers[0]: Conflict with gateways shop/a (workload selector istio=ingressgateway, port 80, hosts shop.example.com). '
        + 'Merge the servers into one Gateway or use distinct hosts.',
      'Gateway/shop/a spec.servers[0]: Conflict with gateways other/b (workload selector istio=ingressgateway,team=shop, port 80, '
        + 'hosts shop.example.com). Merge the servers into one Gateway or use distinct hosts.',
    ]);
  });

  test('a subset selector picks other pods when no pod carries both: no conflict', () => {
    const docs = [
      gateway('shop/a', { ...INGRESS, team: 'shop' }, [{ hosts: ['shop.example.com'] }]),
      gateway('other/b', INGRESS, [{ hosts: ['shop.example.com'] }]),
    ];
    expect(reported('IST0145', docs)).toEqual([]);
  });

  test('hosts conflict when equal as written (a wildcard does not conflict with a host it matches), on the same bind', () => {
    const wildcard = [gateway('shop/a', INGRESS, [{ hosts: ['shop.example.com'] }]), gateway('shop/b', INGRESS, [{ hosts: ['*.example.com'] }])];
    expect(reported('IST0145', wildcard)).toEqual([]);
    const binds = [
      gateway('shop/a', INGRESS, [{ hosts: ['shop.example.com'], bind: '10.0.0.1' }]),
      gateway('shop/b', INGRESS, [{ hosts: ['shop.example.com'], bind: '10.0.0.2' }]),
    ];
    expect(reported('IST0145', binds)).toEqual([]);
  });

  test('one message per conflicting server, naming every other Gateway once', () => {
    const docs = [
      gateway('shop/a', INGRESS, [{ hosts: ['a.example.com', 'b.example.com'] }, { port: { number: 8080, name: 'http-alt', protocol: 'HTTP' }, hosts: ['c.example.com'] }]),
      gateway('shop/b', INGRESS, [{ hosts: ['a.example.com', 'b.example.com'] }]),
    ];
    expect(findings('IST0145', docs).filter(f => f.startsWith('Gateway/shop/a'))).toEqual([
      'Gateway/shop/a spec.servers[0]: Conflict with gateways shop/b (workload selector istio=ingressgateway, port 80, '
        + 'hosts a.example.com,b.example.com). Merge the servers into one Gateway or use distinct hosts.',
    ]);
  });
});

describe('IST0138 compares the gateway workloads the selectors pick', () => {
  test('a Gateway whose selector is a subset of another one serving the same certificate reports, across namespaces', () => {
    const docs = [
      gateway('default/wide', INGRESS, [tls('shop-cert')]),
      gateway('istio-system/narrow', { ...INGRESS, type: 'internal' }, [tls('shop-cert')]),
    ];
    expect(findings('IST0138', docs)).toEqual([
      'Gateway/default/wide spec.servers[0].tls: Duplicate certificate in multiple gateways [default/wide istio-system/narrow] may cause '
        + '404s if clients re-use HTTP2 connections. Serve the hosts from one Gateway, or use a certificate per gateway.',
    ]);
  });

  test('selectors that are not subsets of each other do not share workloads: no message', () => {
    const docs = [gateway('shop/a', { app: 'a' }, [tls('cert')]), gateway('shop/b', { app: 'b' }, [tls('cert')])];
    expect(reported('IST0138', docs)).toEqual([]);
  });
});

describe('IST0101 on Gateways', () => {
  test('a selector no pod carries, in any namespace (the default ingress gateway is assumed)', () => {
    const docs = [
      gateway('shop/missing', { istio: 'egress-typo' }, [{ hosts: ['a.example.com'] }]),
      gateway('shop/custom', { app: 'edge' }, [{ hosts: ['b.example.com'] }]),
      gateway('shop/default', INGRESS, [{ hosts: ['c.example.com'] }]),
      pod('edge/edge-gw', { app: 'edge' }),
    ];
    expect(findings('IST0101', docs)).toEqual([
      'Gateway/shop/missing spec.selector: Referenced selector not found: "istio=egress-typo". No pod in any namespace carries these labels: '
        + 'deploy the workload, or fix the selector.',
    ]);
  });

  test('a credentialName without its Secret in the gateway pods\' namespace, when the input holds Secrets', () => {
    const secret = obj('Secret', 'istio-system/shop-cert', undefined, {});
    const docs = [gateway('shop/gw', INGRESS, [tls('shop-cert')]), gateway('shop/other', INGRESS, [{ ...tls('missing-cert'), hosts: ['x.example.com'] }]), secret];
    expect(findings('IST0101', docs)).toEqual([
      'Gateway/shop/other spec.servers[0].tls.credentialName: Referenced credentialName not found: "missing-cert". '
        + "Create the Secret in istio-system (the gateway pods' namespace), or fix the name.",
    ]);
    expect(reported('IST0101', docs.filter(d => d.kind !== 'Secret'))).toEqual([]); // no Secrets in the input: not judged
  });
});

describe('a Gateway API Gateway is not an Istio Gateway', () => {
  test('it satisfies no VirtualService and joins no Istio Gateway check', () => {
    const apiGateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'shop-gateway', namespace: 'shop' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }] },
    };
    const route = obj('VirtualService', 'shop/web', { hosts: ['shop.example.com'], gateways: ['shop-gateway'], http: [{ route: [{ destination: { host: 'shop.example.com' } }] }] });
    const messages = analyze([apiGateway, route, { ...apiGateway, metadata: { name: 'other', namespace: 'shop' } }]);
    expect(messages.filter(m => m.resource.kind === 'VirtualService' && m.field === 'spec.gateways[0]').map(m => m.code).sort())
      .toEqual(['IST0101', 'IST0132']);
    // Two Gateway API Gateways on one host and port are not IST0145/IST0138/CDK0002 material (Kiali's KIA1501 is theirs).
    expect(messages.filter(m => m.resource.kind === 'Gateway' && m.code !== 'KIA1501').map(m => m.code)).toEqual([]);
  });
});
