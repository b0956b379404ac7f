import { analyze } from '../../lib/analysis/analyze';

/** CDK0009 beyond its fixture (test/fixtures/analysis/CDK0009-*): what counts as the same parent, hostname and match. */
type Doc = Record<string, any>;

const route = (name: string, spec: Doc, kind = 'HTTPRoute'): Doc =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name, namespace: 'shop' }, spec });
const GATEWAY = [{ name: 'gw' }];
const rules = (...matches: (Doc[] | undefined)[]) => matches.map(m => ({ ...(m && { matches: m }), backendRefs: [{ name: 'web', port: 80 }] }));

function shadowed(docs: Doc[]): string[] {
  return analyze(docs).filter(m => m.code === 'CDK0009').map(m => `${m.resource.name} ${m.field}`);
}

describe('CDK0009 route rules another route shadows', () => {
  test('on a Gateway, hostnames tell the routes apart; the same hostname and match is reported on the later route', () => {
    expect(shadowed([route('a', { parentRefs: GATEWAY, hostnames: ['a.example.com'], rules: rules(undefined) }),
      route('b', { parentRefs: GATEWAY, hostnames: ['b.example.com'], rules: rules(undefined) })])).toEqual([]);
    expect(shadowed([route('b', { parentRefs: GATEWAY, hostnames: ['shop.example.com'], rules: rules([{ path: { value: '/api' } }]) }),
      route('a', { parentRefs: GATEWAY, hostnames: ['shop.example.com'], rules: rules([{ path: { type: 'PathPrefix', value: '/api' } }]) })]))
      .toEqual(['b spec.rules[0]']);
  });

  test('different listeners, paths or methods do not collide; header names compare in any case, in any order', () => {
    expect(shadowed([route('a', { parentRefs: [{ name: 'gw', sectionName: 'http' }], rules: rules(undefined) }),
      route('b', { parentRefs: [{ name: 'gw', sectionName: 'https' }], rules: rules(undefined) })])).toEqual([]);
    expect(shadowed([route('a', { parentRefs: GATEWAY, rules: rules([{ path: { value: '/a' } }], [{ method: 'GET' }]) }),
      route('b', { parentRefs: GATEWAY, rules: rules([{ path: { value: '/b' } }], [{ method: 'POST' }]) })])).toEqual([]);
    const headers = (...names: string[]) => [{ headers: names.map(name => ({ name, value: 'x' })) }];
    expect(shadowed([route('a', { parentRefs: GATEWAY, rules: rules(headers('X-User', 'x-team')) }),
      route('b', { parentRefs: GATEWAY, rules: rules(headers('x-team', 'x-user')) })])).toEqual(['b spec.rules[0]']);
  });

  test('one route\'s own rules are not compared (Istio keeps their order), and GRPCRoutes are compared among themselves', () => {
    expect(shadowed([route('a', { parentRefs: GATEWAY, rules: rules(undefined, undefined) })])).toEqual([]);
    expect(shadowed([route('a', { parentRefs: GATEWAY, rules: rules(undefined) }),
      route('b', { parentRefs: GATEWAY, rules: rules(undefined) }, 'GRPCRoute')])).toEqual([]);
    expect(shadowed([route('a', { parentRefs: GATEWAY, rules: rules(undefined) }, 'GRPCRoute'),
      route('b', { parentRefs: GATEWAY, rules: rules(undefined) }, 'GRPCRoute')])).toEqual(['b spec.rules[0]']);
  });
});
