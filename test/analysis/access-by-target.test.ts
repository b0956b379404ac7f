import { INGRESS_GATEWAY_CALLER, MatrixCell, accessByTarget, accessMatrix } from '../../lib/analysis/access-matrix';
import { syntheticMesh } from '../graph/synthetic-mesh';

describe('access by target: the callers no rule names share one cell', () => {
  const deployment = (app: string, ns = 'shop') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${app}-v1`, namespace: ns },
    spec: { template: { metadata: { labels: { app, version: 'v1' } }, spec: { serviceAccountName: app } } },
  });
  const allowB = (source: Record<string, unknown>) => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'b-allow', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'b' } }, rules: [{ from: [{ source }], to: [{ operation: { methods: ['GET'] } }] }] },
  });
  const get: MatrixCell = { access: 'some', operations: ['GET'], denied: [], conditional: [] };
  const none: MatrixCell = { access: 'none', operations: [], denied: [], conditional: [] };
  const docs = (source: Record<string, unknown>) => [deployment('a'), deployment('b'), deployment('c', 'other'), deployment('d', 'other'), allowB(source)];
  /** The named callers of shop/b by id, with their access, and the access of the others. */
  const accessToB = (source: Record<string, unknown>) => {
    const b = accessByTarget(docs(source)).targets.find(t => t.target.id === 'shop/b')!;
    return { named: Object.fromEntries([...b.named].map(([c, cell]) => [c.id, cell.access])), others: b.others?.access };
  };

  test('exact, prefix, suffix and negated patterns name just the callers they match; the gateway is always named', () => {
    expect(accessToB({ principals: ['cluster.local/ns/shop/sa/a'] })).toEqual({ named: { [INGRESS_GATEWAY_CALLER.id]: 'none', 'shop/a': 'some' }, others: 'none' });
    expect(accessToB({ namespaces: ['oth*'] })).toEqual({ named: { [INGRESS_GATEWAY_CALLER.id]: 'none', 'other/c': 'some', 'other/d': 'some' }, others: 'none' });
    expect(accessToB({ serviceAccounts: ['*/d'] })).toEqual({ named: { [INGRESS_GATEWAY_CALLER.id]: 'none', 'other/d': 'some' }, others: 'none' });
    expect(accessToB({ notPrincipals: ['cluster.local/ns/other/sa/c'] })).toEqual({ named: { [INGRESS_GATEWAY_CALLER.id]: 'some', 'other/c': 'none' }, others: 'some' });
  });

  test('a `*` pattern names every caller, so no cell is shared', () => {
    expect(accessToB({ principals: ['*'] })).toEqual({
      named: { [INGRESS_GATEWAY_CALLER.id]: 'some', 'shop/a': 'some', 'shop/b': 'some', 'other/c': 'some', 'other/d': 'some' }, others: undefined,
    });
  });

  test('the matrix is the named cells, and the shared one everywhere else', () => {
    for (const source of [{ namespaces: ['oth*'] }, { notServiceAccounts: ['shop/a'], principals: ['*/sa/c'] }]) {
      const m = accessMatrix(docs(source));
      const { callers, targets } = accessByTarget(docs(source));
      for (const c of callers) for (const t of targets) expect(m.cells[c.id][t.target.id]).toEqual(t.named.get(c) ?? t.others);
    }
    expect(accessMatrix(docs({ namespaces: ['oth*'] })).cells['other/c']['shop/b']).toEqual(get);
    expect(accessMatrix(docs({ namespaces: ['oth*'] })).cells['shop/a']['shop/b']).toEqual(none);
  });

  test('500 services, each allowing one caller: each target names only that caller and the gateway', () => {
    const mesh = syntheticMesh(500);
    const { callers, targets } = accessByTarget(mesh);
    expect(targets).toHaveLength(500);
    expect(callers).toHaveLength(501);
    expect(Math.max(...targets.map(t => t.named.size))).toBe(2);
    expect(targets.every(t => t.others?.access === 'none')).toBe(true);
  });
});
