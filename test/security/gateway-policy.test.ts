import * as fs from 'fs';
import { Chart } from 'cdk8s';
import {
  AuthorizationPolicy, Caller, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, RoutingApi, VirtualService, Destination,
  deployedGateway, useRoutingApi, writeManifests,
} from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';
import { temporaryFolder, testApp } from '../support/temporary-folders';

/**
 * AuthorizationPolicy.forGateway: the ALLOW that a deny-by-default namespace needs for the proxy
 * Istio deploys for its Gateway API Gateway, and the synthesis failing (CDK0010) without it.
 */
function shop(chart: Chart): { gateway: Gateway; web: MeshService } {
  useRoutingApi(chart, RoutingApi.GATEWAY_API);
  const ns = new MeshNamespace(chart, 'shop');
  ns.requireMtls();
  ns.denyByDefault();
  const gateway = new Gateway(chart, 'shop-gateway', {
    servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }],
  });
  const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'registry.example.com/shop/web:1.0.0' } } });
  new VirtualService(chart, 'web-route', {
    hosts: ['shop.example.com'], gateways: [gateway], http: [{ match: [HttpMatch.prefix('/')], to: [Destination.toService(web)] }],
  });
  const deployed = deployedGateway(gateway);
  web.allowFrom(Caller.ingressGateway(deployed.namespace, deployed.name));
  return { gateway, web };
}

describe('AuthorizationPolicy.forGateway', () => {
  test('attaches an ALLOW of every request to the Gateway, named after the deployed gateway', () => {
    const { chart } = newChart();
    const { gateway } = shop(chart);
    const policy = AuthorizationPolicy.forGateway(chart, 'gateway-allow', gateway);
    expect(policy.name).toBe('shop-gateway-istio-allow');
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'shop-gateway-istio-allow')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'shop-gateway-istio-allow', namespace: 'shop' },
      spec: { action: 'ALLOW', rules: [{}], targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop-gateway' }] },
    });
  });

  test('takes a name and the rules, and goes to the Gateway\'s namespace from a chart of another', () => {
    const { app, chart } = newChart();
    const { gateway } = shop(chart);
    const other = new Chart(app, 'policies', { namespace: 'security' });
    AuthorizationPolicy.forGateway(other, 'viewer', gateway, { name: 'shop-gateway-viewer', rules: [{ to: [{ methods: ['GET'] }] }] });
    const doc = findDoc(docsOf(other), 'AuthorizationPolicy', 'shop-gateway-viewer');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec.rules).toEqual([{ to: [{ operation: { methods: ['GET'] } }] }]);
  });

  test('refuses a Gateway of the classic rendering, for which Istio deploys nothing', () => {
    const { chart } = newChart();
    const gateway = new Gateway(chart, 'classic', { servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    expectMeshError(() => AuthorizationPolicy.forGateway(chart, 'allow', gateway), 'test/classic', 'routingApi',
      'the Gateway renders to Istio\'s Gateway kind, which Istio deploys nothing for');
  });

  test('a deny-by-default namespace with a Gateway API gateway fails the synth without it (CDK0010), and writes with it', () => {
    const outdir = temporaryFolder('cdk8s-istio-gateway-policy-');
    const analyzed = () => {
      const app = testApp();
      return { app, chart: new Chart(app, 'shop', { namespace: 'shop' }) };
    };
    const refused = analyzed();
    shop(refused.chart);
    expect(() => writeManifests(refused.app, { outdir })).toThrow(
      /CDK0010.*Gateway shop\/shop-gateway.*\(shop\/allow-nothing\) has no rule, so the gateway answers every request with 403/s);
    expect(fs.readdirSync(outdir)).toEqual([]);

    const allowed = analyzed();
    const { gateway } = shop(allowed.chart);
    AuthorizationPolicy.forGateway(allowed.chart, 'gateway-allow', gateway);
    expect(writeManifests(allowed.app, { outdir }).files.length).toBeGreaterThan(0);
  });
});
