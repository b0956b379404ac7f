import { ApiObject, ApiObjectProps, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext } from 'cdk8s';
import { LibraryApiObject } from '../../lib/core/library-api-object';

/** The same props rendered by a LibraryApiObject and by cdk8s's own ApiObject, in one chart. */
function renderBoth(props: ApiObjectProps, app = new App(), prepare: (o: ApiObject) => void = () => undefined) {
  const chart = new Chart(app, 'c', { namespace: 'shop', labels: { team: 'a' } });
  const ours = new LibraryApiObject(chart, 'ours', props);
  const stock = new ApiObject(chart, 'stock', props);
  prepare(ours);
  prepare(stock);
  const strip = (doc: any) => ({ ...doc, metadata: { ...doc.metadata, name: undefined } });
  return { ours: ours.toJson(), stock: stock.toJson(), strip };
}

const manifest = (spec: unknown): ApiObjectProps => ({ apiVersion: 'v1', kind: 'ConfigMap', data: { z: '1', a: '2' }, spec } as ApiObjectProps);

describe('LibraryApiObject renders exactly what cdk8s renders', () => {
  test.each([
    ['plain data, keys sorted at every level', { b: { y: 1, x: [3, { d: 1, c: 2 }] }, a: true }],
    ['null and undefined left out of objects, kept as holes in arrays', { a: null, b: undefined, c: [1, null, undefined, 'x'], d: {} }],
    ['Lazy values, nested', Lazy.any({ produce: () => ({ z: Lazy.any({ produce: () => [Lazy.any({ produce: () => 'deep' })] }), a: 1 }) })],
    ['implicit tokens (objects with resolve())', { port: { resolve: () => 8080 }, list: [{ resolve: () => ({ b: 1, a: 2 }) }] }],
  ])('%s', (_, spec) => {
    const { ours, stock, strip } = renderBoth(manifest(spec));
    expect(Object.keys(ours)).toEqual(Object.keys(stock));
    expect(JSON.stringify(strip(ours))).toEqual(JSON.stringify(strip(stock)));
    expect(JSON.stringify(ours.spec)).toEqual(JSON.stringify(stock.spec));
  });

  test('metadata added after construction (labels, annotations) is rendered', () => {
    const { ours, stock, strip } = renderBoth(manifest({ a: 1 }), new App(), o => {
      o.metadata.addLabel('added', 'yes');
      o.metadata.addAnnotation('note', 'x');
    });
    expect(ours.metadata.labels).toEqual({ added: 'yes', team: 'a' });
    expect(JSON.stringify(strip(ours))).toEqual(JSON.stringify(strip(stock)));
  });

  test.each([
    ['owner references, finalizers and extra fields, keys sorted', {
      ownerReferences: [{ uid: 'u1', name: 'owner', kind: 'Deployment', apiVersion: 'apps/v1' }],
      finalizers: ['z/keep', 'a/keep'],
      generateName: 'shop-',
      labels: { z: '1', a: '2' },
    }],
    ['empty labels, annotations, lists and nested objects left out', { labels: {}, annotations: {}, finalizers: [], ownerReferences: [{}] }],
    ['Lazy and implicit-token values', { annotations: { note: Lazy.any({ produce: () => 'later' }) }, labels: { v: { resolve: () => 'tok' } as any } }],
  ])('metadata: %s', (_, metadata) => {
    const { ours, stock, strip } = renderBoth({ ...manifest({ a: 1 }), metadata } as ApiObjectProps);
    expect(JSON.stringify(strip(ours))).toEqual(JSON.stringify(strip(stock)));
    expect(Object.keys(ours.metadata)).toEqual(Object.keys(stock.metadata));
  });

  test('JSON patches are applied (cdk8s renders a patched object)', () => {
    const { ours, stock, strip } = renderBoth(manifest({ a: 1 }), new App(), o => o.addJsonPatch(JsonPatch.add('/spec/b', 2)));
    expect(ours.spec).toEqual({ a: 1, b: 2 });
    expect(strip(ours)).toEqual(strip(stock));
  });

  test("an app's own resolvers see every value (cdk8s renders the object)", () => {
    class Upper implements IResolver {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      }
    }
    const { ours, stock, strip } = renderBoth(manifest({ a: 'up:loud' }), new App({ resolvers: [new Upper()] }));
    expect(ours.spec).toEqual({ a: 'LOUD' });
    expect(strip(ours)).toEqual(strip(stock));
  });

  test('a value cdk8s cannot render fails with cdk8s\'s error, naming the construct', () => {
    class Opaque { constructor(public readonly x = 1) {} }
    const chart = new Chart(new App(), 'c');
    const ours = new LibraryApiObject(chart, 'ours', manifest({ a: new Opaque() }));
    expect(() => ours.toJson()).toThrow(/Failed serializing construct at path 'c\/ours'.*non-simple object of type 'Opaque'/);
  });

  test('CDK8S_DISABLE_SORT keeps the keys in the order given, as cdk8s does', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const { ours, stock } = renderBoth(manifest({ b: 1, a: 2 }));
      expect(Object.keys(ours.spec)).toEqual(['b', 'a']);
      expect(Object.keys(ours.spec)).toEqual(Object.keys(stock.spec));
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});
