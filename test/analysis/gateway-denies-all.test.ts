import { analyze } from '../../lib/analysis/analyze';

/**
 * CDK0010 beyond its fixtures: which AuthorizationPolicies count as applying to the proxy Istio
 * deploys for a Gateway API Gateway (namespace-wide and root-namespace ones, selectors on the
 * gateway's labels, targetRefs to the Gateway itself), and when the analysis stays silent rather
 * than guess.
 */
type Doc = Record<string, any>;

type Labels = Record<string, string>;

const gateway = (overrides: { className?: string; labels?: Labels; infrastructureLabels?: Labels } = {}): Doc => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'edge', namespace: 'shop', ...overrides.labels ? { labels: overrides.labels } : {} },
  spec: {
    gatewayClassName: overrides.className ?? 'istio',
    listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
    ...overrides.infrastructureLabels ? { infrastructure: { labels: overrides.infrastructureLabels } } : {},
  },
});

const policy = (name: string, spec: Doc, namespace = 'shop'): Doc => ({
  apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec,
});

const allowNothing = policy('allow-nothing', {});

const reported = (docs: Doc[]) => analyze(docs).filter(m => m.code === 'CDK0010').map(m => m.message);

describe('CDK0010: a gateway whose policies refuse every request', () => {
  test('a namespace-wide allow-nothing applies to the gateway, and so does the root namespace\'s', () => {
    expect(reported([gateway(), allowNothing])).toEqual([expect.stringContaining('(shop/allow-nothing) has no rule')]);
    expect(reported([gateway(), policy('allow-nothing', {}, 'istio-system')]))
      .toEqual([expect.stringContaining('(istio-system/allow-nothing) has no rule')]);
    expect(reported([gateway(), policy('allow-nothing', {}, 'elsewhere')])).toEqual([]);
  });

  test('an ALLOW with a rule that selects the gateway by its name label, or is attached to it, lets requests in', () => {
    const rule = { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] };
    const byLabel = policy('viewer', { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'edge' } }, ...rule });
    const attached = policy('viewer', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }], ...rule });
    expect(reported([gateway(), allowNothing, byLabel])).toEqual([]);
    expect(reported([gateway(), allowNothing, attached])).toEqual([]);
  });

  test('policies for other workloads, other gateways or another namespace\'s Gateway do not help', () => {
    const rule = { rules: [{}] };
    expect(reported([gateway(), allowNothing, policy('web', { selector: { matchLabels: { app: 'web' } }, ...rule })])).toHaveLength(1);
    expect(reported([gateway(), allowNothing,
      policy('other', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'other' }], ...rule })])).toHaveLength(1);
    expect(reported([gateway(), allowNothing,
      policy('far', { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge' }], ...rule }, 'istio-system')]))
      .toHaveLength(1);
  });

  test('a selector on the Gateway\'s own or infrastructure labels selects its pods', () => {
    const viewer = policy('viewer', { selector: { matchLabels: { tier: 'edge' } }, rules: [{}] });
    expect(reported([gateway({ labels: { tier: 'edge' } }), allowNothing, viewer])).toEqual([]);
    expect(reported([gateway({ infrastructureLabels: { tier: 'edge' } }), allowNothing, viewer])).toEqual([]);
  });

  test('a selector on an Istio label the analysis does not know the pods to have leaves the gateway unjudged', () => {
    const byRevision = policy('viewer', { selector: { matchLabels: { 'service.istio.io/canonical-name': 'edge-istio' } }, rules: [{}] });
    expect(reported([gateway(), allowNothing, byRevision])).toEqual([]);
  });

  test('a DENY rule with neither source, operation nor condition refuses everything; a narrower one does not', () => {
    expect(reported([gateway(), policy('deny', { action: 'DENY', rules: [{}] })]))
      .toEqual([expect.stringContaining('the DENY policy shop/deny has a rule matching every request')]);
    expect(reported([gateway(), policy('deny', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] })])).toEqual([]);
  });

  test('waypoints and classes Istio does not deploy are not judged', () => {
    expect(reported([gateway({ className: 'istio-waypoint' }), allowNothing])).toEqual([]);
    expect(reported([gateway({ className: 'other' }), allowNothing])).toEqual([]);
  });
});
