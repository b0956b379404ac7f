import { validateDocument } from '../../lib';

const operator = (spec: Record<string, unknown>) =>
  ({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'demo', namespace: 'istio-system' }, spec });
/** The violations of the operator as `<path>: <what is wrong>` (without the fix the message ends with). */
const messages = (spec: Record<string, unknown>) => validateDocument(operator(spec)).map(v => `${v.path}: ${v.message.split('. Fix: ')[0]}`);

describe('IstioOperator (no CRD): its structure is checked like a CRD schema', () => {
  test('a profile with gateways, meshConfig and values passes; what istioctl passes on (k8s, meshConfig, values) is open', () => {
    expect(messages({
      profile: 'minimal',
      tag: '1.30.3',
      components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: true, label: { istio: 'ingressgateway' }, k8s: { service: { type: 'NodePort' } } }] },
      meshConfig: { accessLogFile: '/dev/stdout', anyFutureField: 1 },
      values: { global: { proxy: { resources: {} } } },
    })).toEqual([]);
  });

  test('unknown fields of the spec and of components, an unknown profile and a gateway without name are refused', () => {
    expect(messages({ profil: 'demo' })[0]).toMatch(/^spec\.profil: unknown field "profil"; known fields are profile, /);
    expect(messages({ profile: 'tiny' })[0]).toMatch(/^spec\.profile: must be one of/);
    expect(messages({ components: { gateways: [] } })[0]).toMatch(/^spec\.components\.gateways: unknown field "gateways"/);
    expect(messages({ components: { egressGateways: [{ enabled: true }] } })[0]).toEqual('spec.components.egressGateways[0].name: is required');
  });
});
