import { Doc, findings, obj, pod, reported } from './support';
import { MESSAGE_TYPES } from '../../../lib/analysis/messages';

const namespace = (name: string, labels: Record<string, string>) => obj('Namespace', name, undefined, { labels });

describe('IST0123 reads istio.io/dataplane-mode and exempts a disabled legacy label', () => {
  test.each([
    [{ 'istio-injection': 'enabled', 'istio.io/dataplane-mode': 'ambient' }, '[istio-injection=enabled istio.io/dataplane-mode=ambient]'],
    [{ 'istio.io/rev': 'canary', 'istio.io/dataplane-mode': 'ambient' }, '[istio.io/rev=canary istio.io/dataplane-mode=ambient]'],
    [{ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }, '[istio-injection=enabled istio.io/rev=canary]'],
  ])('%j conflicts', (labels, listed) => {
    expect(findings('IST0123', [namespace('shop', labels)])).toEqual([
      `Namespace/shop metadata.labels: The namespace has more than one type of injection labels ${listed}, which may lead to undefined `
        + 'behavior. Make sure only one injection label exists.',
    ]);
  });
  test.each([
    [{ 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }],
    [{ 'istio-injection': 'disabled', 'istio.io/dataplane-mode': 'ambient' }],
    [{ 'istio.io/dataplane-mode': 'ambient' }],
  ])('%j does not', labels => {
    expect(reported('IST0123', [namespace('shop', labels)])).toEqual([]);
  });
});

describe('IST0173 counts the Node topology labels and is an Error', () => {
  const service = obj('Service', 'default/httpbin', { selector: { app: 'httpbin' }, ports: [{ name: 'http', port: 8000 }] });
  const rule = (subsets: Doc[]) => obj('DestinationRule', 'default/httpbin', { host: 'httpbin', subsets });
  const node = (labels: Record<string, string>) => obj('Node', 'node-1', undefined, { labels });
  const zone = { 'topology.kubernetes.io/zone': 'us-west-1a' };

  test('the level is Error, as in Istio 1.30', () => {
    expect(MESSAGE_TYPES.IST0173.level).toBe('Error');
  });
  test('a subset selecting by region or zone matches the pods on that Node', () => {
    const docs = [service, node({ 'topology.kubernetes.io/region': 'us-west-1', ...zone }), pod('default/httpbin', { app: 'httpbin', version: 'v1' }, { nodeName: 'node-1' }),
      rule([{ name: 'west', labels: { 'topology.kubernetes.io/region': 'us-west-1' } }, { name: 'mixed', labels: { version: 'v1', ...zone } }])];
    expect(reported('IST0173', docs)).toEqual([]);
  });
  test('a pod template pinned by nodeSelector carries the topology it pins', () => {
    const deployment = obj('Deployment', 'default/httpbin', {
      selector: { matchLabels: { app: 'httpbin' } },
      template: { metadata: { labels: { app: 'httpbin' } }, spec: { nodeSelector: zone, containers: [{ name: 'httpbin', image: 'httpbin:1' }] } },
    });
    expect(reported('IST0173', [service, deployment, rule([{ name: 'zone', labels: zone }])])).toEqual([]);
  });
  test('empty topology labels, or another zone, select nothing', () => {
    const docs = [service, node({ 'topology.kubernetes.io/region': '' }), pod('default/httpbin', { app: 'httpbin' }, { nodeName: 'node-1' }),
      rule([{ name: 'zone', labels: zone }])];
    expect(findings('IST0173', docs)).toEqual([
      'DestinationRule/default/httpbin spec.subsets[0]: The Subset zone defined in the DestinationRule does not select any pods. Which may lead '
        + 'to 503 UH (NoHealthyUpstream). No pod of Service default/httpbin carries its labels {"topology.kubernetes.io/zone":"us-west-1a"}: '
        + 'deploy that version, fix the labels, or remove the subset.',
    ]);
  });
});

describe('IST0118 exemptions, as istioctl', () => {
  const service = (id: string, labels: Record<string, string>, port: Doc = { name: 'foo', port: 8080 }) =>
    obj('Service', id, { selector: { app: 'x' }, ports: [port] }, { labels });
  test.each([
    ['a managed gateway Service', service('shop/gw-istio', { 'gateway.istio.io/managed': 'istio.io-gateway-controller' })],
    ['a waypoint\'s hbone port', service('shop/waypoint', {}, { name: 'mesh', port: 15008, appProtocol: 'hbone' })],
    ['Istio\'s own Service (istio label) in istio-system', service('istio-system/istiod', { istio: 'pilot' })],
    ['Istio\'s own Service (release: istio) in istio-system', service('istio-system/addon', { release: 'istio' })],
    ['a Service in kube-public', service('kube-public/x', {})],
    ['a Service in kube-node-lease', service('kube-node-lease/x', {})],
    ['a Service in local-path-storage', service('local-path-storage/x', {})],
  ])('%s', (_what, doc) => {
    expect(reported('IST0118', [doc])).toEqual([]);
  });
  test('a Service labelled istio outside istio-system is judged', () => {
    expect(reported('IST0118', [service('shop/x', { istio: 'x' })])).toEqual(['Service/shop/x']);
  });
});

describe('IST0144 once per workload', () => {
  test('pod and container both running as 1337 give one message, at the pod', () => {
    const deployment = obj('Deployment', 'default/app', {
      selector: { matchLabels: { app: 'a' } },
      template: {
        metadata: { labels: { app: 'a' } },
        spec: { securityContext: { runAsUser: 1337 }, containers: [{ name: 'a', image: 'a:1', securityContext: { runAsUser: 1337 } }] },
      },
    });
    expect(findings('IST0144', [deployment])).toEqual([
      'Deployment/default/app spec.template.spec.securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy. Run the pod as another user.',
    ]);
  });
  test('two containers give one message naming both', () => {
    const docs = [pod('default/p', { app: 'p' }, {
      containers: [{ name: 'a', image: 'a:1', securityContext: { runAsUser: 1337 } }, { name: 'b', image: 'b:1', securityContext: { runAsUser: 1337 } }],
    })];
    expect(findings('IST0144', docs)).toEqual([
      'Pod/default/p spec.containers[0].securityContext.runAsUser: User ID (UID) 1337 is reserved for the sidecar proxy. Run container a, b as another user.',
    ]);
  });
});

describe('IST0101 on Sidecars, Telemetries and AuthorizationPolicies', () => {
  const pods = [pod('default/reviews', { app: 'reviews' }), pod('other/productpage', { app: 'productpage' })];
  test('a Sidecar or Telemetry selector no pod of its namespace carries', () => {
    const docs = [...pods,
      obj('Sidecar', 'other/reviews', { workloadSelector: { labels: { app: 'reviews' } } }),
      obj('Sidecar', 'default/reviews', { workloadSelector: { labels: { app: 'reviews' } } }),
      obj('Telemetry', 'default/bogus', { selector: { matchLabels: { app: 'bogus' } } })];
    expect(findings('IST0101', docs)).toEqual([
      'Sidecar/other/reviews spec.workloadSelector.labels: Referenced selector not found: "app=reviews". No pod in its namespace carries '
        + 'these labels: deploy the workload, or fix the selector.',
      'Telemetry/default/bogus spec.selector.matchLabels: Referenced selector not found: "app=bogus". No pod in its namespace carries '
        + 'these labels: deploy the workload, or fix the selector.',
    ]);
  });
  test('an AuthorizationPolicy source namespace no namespace of the input matches, once per entry', () => {
    const policy = obj('AuthorizationPolicy', 'default/allow', {
      rules: [{ from: [{ source: { namespaces: ['prod-*', '*-test', 'bogus-*', '*', 'default'] } }, { source: { notNamespaces: ['*-bogus'] } }] }],
    });
    const docs = [...pods, namespace('prod-shop', {}), namespace('shop-test', {}), policy];
    expect(findings('IST0101', docs)).toEqual([
      'AuthorizationPolicy/default/allow spec.rules[0].from[0].source.namespaces[2]: Referenced namespace not found: "bogus-*". '
        + 'No namespace of the manifests matches it: fix the name or pattern.',
      'AuthorizationPolicy/default/allow spec.rules[0].from[1].source.notNamespaces[0]: Referenced namespace not found: "*-bogus". '
        + 'No namespace of the manifests matches it: fix the name or pattern.',
    ]);
  });
});
