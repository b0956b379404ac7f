import { bookinfoApp } from '../../apps/bookinfo';
import { accessMatrix, formatAccessMatrix } from '../../lib/analysis/access-matrix';
import { allowedEdges } from '../support/access';

function docsOf(secure: boolean): Record<string, any>[] {
  const { app, base } = bookinfoApp({ secure });
  return base.toJson().concat(secure ? [] : app.charts.filter(c => c !== base && c.node.id === 'virtual-service-all-v1').flatMap(c => c.toJson()));
}

describe('access matrix of the bundled apps', () => {
  test('bookinfo-secure allows exactly its call graph: anyone GETs productpage, which GETs details and reviews, which GETs ratings', () => {
    const edges = allowedEdges(accessMatrix(docsOf(true)), { operations: true });
    const anyone = ['istio-system/istio-ingressgateway', 'bookinfo/details', 'bookinfo/ratings', 'bookinfo/reviews', 'bookinfo/productpage'];
    expect(edges).toEqual([
      ...anyone.map(c => `${c} -> bookinfo/productpage: GET`),
      'bookinfo/productpage -> bookinfo/details: GET',
      'bookinfo/productpage -> bookinfo/reviews: GET',
      'bookinfo/reviews -> bookinfo/ratings: GET',
    ].sort());
  });

  test('bookinfo without policies allows every caller everything', () => {
    const m = accessMatrix(docsOf(false));
    expect(m.targets.map(t => t.id).sort()).toEqual(['bookinfo/details', 'bookinfo/productpage', 'bookinfo/ratings', 'bookinfo/reviews']);
    expect(allowedEdges(m, { operations: true })).toHaveLength(m.callers.length * m.targets.length);
    expect(allowedEdges(m, { operations: true }).every(e => e.endsWith(': all'))).toBe(true);
  });

  test('formats one row per caller and one column per target', () => {
    const text = formatAccessMatrix(accessMatrix(docsOf(true)));
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^caller \\ target +bookinfo\/details/);
    expect(lines.find(l => l.startsWith('bookinfo/reviews'))).toMatch(/GET/);
  });
});

describe('access matrix evaluation order', () => {
  const deployment = (app: string, sa = app, ns = 'shop') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${app}-v1`, namespace: ns },
    spec: { template: { metadata: { labels: { app, version: 'v1' } }, spec: { serviceAccountName: sa } } },
  });
  const policy = (name: string, spec: Record<string, unknown>, ns = 'shop') => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec });
  const principal = (sa: string, ns = 'shop') => `cluster.local/ns/${ns}/sa/${sa}`;
  const cell = (docs: Record<string, any>[], from: string, to: string) => accessMatrix(docs).cells[from][to];

  test('DENY wins over ALLOW for the same caller', () => {
    const docs = [deployment('a'), deployment('b'),
      policy('allow-a', { selector: { matchLabels: { app: 'b' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal('a')] } }] }] }),
      policy('deny-a', { selector: { matchLabels: { app: 'b' } }, action: 'DENY', rules: [{ from: [{ source: { principals: [principal('a')] } }] }] })];
    expect(cell(docs, 'shop/a', 'shop/b').access).toBe('none');
  });

  test('a CUSTOM policy matching the caller makes the outcome conditional on the external authorizer', () => {
    const docs = [deployment('a'), deployment('b'),
      policy('ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] })];
    expect(cell(docs, 'shop/a', 'shop/b')).toEqual({ access: 'all', operations: [], denied: [], conditional: ['ext'] });
    expect(cell(docs, 'istio-system/istio-ingressgateway', 'shop/b')).toEqual({ access: 'all', operations: [], denied: [], conditional: [] });
  });

  test('an ALLOW policy on a workload denies callers no rule names; other workloads stay open', () => {
    const docs = [deployment('a'), deployment('b'), deployment('c'),
      policy('b-allow', { selector: { matchLabels: { app: 'b' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal('a')] } }], to: [{ operation: { methods: ['POST'], paths: ['/orders*'] } }] }] })];
    expect(cell(docs, 'shop/a', 'shop/b')).toEqual({ access: 'some', operations: ['POST /orders*'], denied: [], conditional: [] });
    expect(cell(docs, 'shop/c', 'shop/b').access).toBe('none');
    expect(cell(docs, 'shop/c', 'shop/a').access).toBe('all');
  });

  test('an operation-scoped DENY carves its operations out of what ALLOW policies (or no policy) allow', () => {
    const denyAdmin = policy('no-admin', { selector: { matchLabels: { app: 'b' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] });
    const allowA = (to?: unknown) => policy('allow-a', { selector: { matchLabels: { app: 'b' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: [principal('a')] } }], ...(to ? { to } : {}) }] });
    expect(cell([deployment('a'), deployment('b'), denyAdmin], 'shop/a', 'shop/b')).toEqual({ access: 'some', operations: ['any'], denied: ['/admin*'], conditional: [] });
    expect(cell([deployment('a'), deployment('b'), denyAdmin, allowA()], 'shop/a', 'shop/b')).toEqual({ access: 'some', operations: ['any'], denied: ['/admin*'], conditional: [] });
    expect(cell([deployment('a'), deployment('b'), denyAdmin, allowA([{ operation: { methods: ['GET'] } }])], 'shop/a', 'shop/b'))
      .toEqual({ access: 'some', operations: ['GET'], denied: ['/admin*'], conditional: [] });
    expect(formatAccessMatrix(accessMatrix([deployment('a'), deployment('b'), denyAdmin, allowA([{ operation: { methods: ['GET'] } }])]))).toContain('GET (deny /admin*)');
  });

  test('root-namespace policies apply mesh-wide; other namespaces\' policies do not', () => {
    const docs = [deployment('a'), deployment('b'), policy('deny-all', { action: 'DENY', rules: [{}] }, 'istio-system'), policy('elsewhere', {}, 'other')];
    expect(cell(docs, 'shop/a', 'shop/b').access).toBe('none');
    expect(cell([deployment('a'), deployment('b'), policy('elsewhere', {}, 'other')], 'shop/a', 'shop/b').access).toBe('all');
  });

  test('namespace sources, wildcard principals and serviceAccounts match like Istio', () => {
    const allow = (source: Record<string, unknown>) => [deployment('a'), deployment('b'),
      policy('p', { selector: { matchLabels: { app: 'b' } }, action: 'ALLOW', rules: [{ from: [{ source }] }] })];
    expect(cell(allow({ namespaces: ['shop'] }), 'shop/a', 'shop/b').access).toBe('all');
    expect(cell(allow({ principals: ['cluster.local/ns/shop/*'] }), 'shop/a', 'shop/b').access).toBe('all');
    expect(cell(allow({ serviceAccounts: ['shop/a'] }), 'shop/a', 'shop/b').access).toBe('all');
    expect(cell(allow({ notNamespaces: ['shop'] }), 'shop/a', 'shop/b').access).toBe('none');
    // an empty list is not set, as for Istio (proto3): the other field decides
    expect(cell(allow({ principals: [], namespaces: ['shop'] }), 'shop/a', 'shop/b').access).toBe('all');
    expect(cell(allow({ notPrincipals: [], namespaces: ['shop'] }), 'shop/a', 'shop/b').access).toBe('all');
  });

  test('rules that depend on a JWT are reported as conditional, not allowed', () => {
    const docs = [deployment('a'), deployment('b'),
      policy('jwt', { selector: { matchLabels: { app: 'b' } }, action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] })];
    expect(cell(docs, 'shop/a', 'shop/b')).toEqual({ access: 'none', operations: [], denied: [], conditional: ['jwt'] });
  });
});
