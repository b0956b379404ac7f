import { accessMatrix } from '../../lib/analysis/access-matrix';
import { analyze } from '../../lib/analysis/analyze';
import { GATEWAY_NAME_OVERRIDE, GATEWAY_SERVICE_ACCOUNT, gatewayDeployment } from '../../lib/analysis/gateway-deployment';

/**
 * What Istio's gateway controller deploys for a Gateway API Gateway — its Deployment and Service
 * name and its pods' ServiceAccount — as the analyzers and the access matrix read it: the class's
 * default name, or the gateway.istio.io/name-override and gateway.istio.io/service-account annotations.
 */
type Doc = Record<string, any>;

const gateway = (annotations?: Record<string, string>, gatewayClassName = 'istio'): Doc => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: 'shop', ...annotations ? { annotations } : {} },
  spec: { gatewayClassName, listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }] },
});

describe('gatewayDeployment', () => {
  test('class istio deploys <name>-istio, a waypoint its own name, other classes nothing', () => {
    expect(gatewayDeployment(gateway())).toEqual({ name: 'edge-istio', nameOverridden: false, serviceAccount: 'edge-istio' });
    expect(gatewayDeployment(gateway(undefined, 'istio-waypoint'))).toEqual({ name: 'edge', nameOverridden: false, serviceAccount: 'edge' });
    expect(gatewayDeployment(gateway(undefined, 'other'))).toBeUndefined();
  });

  test('the annotations name the Deployment and Service, and the ServiceAccount, apart; an empty one is the default', () => {
    expect(gatewayDeployment(gateway({ [GATEWAY_NAME_OVERRIDE]: 'public', [GATEWAY_SERVICE_ACCOUNT]: 'edge-sa' })))
      .toEqual({ name: 'public', nameOverridden: true, serviceAccount: 'edge-sa' });
    expect(gatewayDeployment(gateway({ [GATEWAY_SERVICE_ACCOUNT]: '' }))).toEqual({ name: 'edge-istio', nameOverridden: false, serviceAccount: 'edge-istio' });
  });
});

const namespace: Doc = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } };
const service = (name: string): Doc => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] },
});

describe('the analyzers and the access matrix follow the annotations', () => {
  test('CDK0006 names the overridden Deployment name, at the annotation', () => {
    const messages = analyze([namespace, service('public'), gateway({ [GATEWAY_NAME_OVERRIDE]: 'public' })]).filter(m => m.code === 'CDK0006');
    expect(messages.map(m => [m.field, m.message.slice(0, 90)])).toEqual([
      ['metadata.annotations["gateway.istio.io/name-override"]', 'Istio deploys this Gateway\'s proxy as the Deployment and Service "public" of its namespace'],
    ]);
    expect(analyze([namespace, service('edge-istio'), gateway({ [GATEWAY_NAME_OVERRIDE]: 'public' })]).filter(m => m.code === 'CDK0006')).toEqual([]);
  });

  test('KIA0106: the gateway\'s ServiceAccount is the annotation\'s, not <name>-istio', () => {
    const policy = (sa: string): Doc => ({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'from-edge', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'web' } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/shop/sa/${sa}`] } }] }] },
    });
    const kia0106 = (sa: string) => analyze([namespace, gateway({ [GATEWAY_SERVICE_ACCOUNT]: 'edge-sa' }), policy(sa)])
      .filter(m => m.code === 'KIA0106').length;
    expect(kia0106('edge-sa')).toBe(0);
    expect(kia0106('edge-istio')).toBe(1);
  });

  test('the access matrix calls from the gateway as its annotated ServiceAccount', () => {
    const callers = accessMatrix([namespace, gateway({ [GATEWAY_SERVICE_ACCOUNT]: 'edge-sa' })]).callers.map(c => c.id);
    expect(callers).toContain('shop/edge-sa');
    expect(callers).not.toContain('shop/edge-istio');
  });
});
