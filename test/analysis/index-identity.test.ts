import { analyze } from '../../lib/analysis/analyze';
import { KINDS } from '../../lib/analysis/group-kinds';
import { AnalysisInput, Doc, MeshIndex } from '../../lib/analysis/mesh-index';
import { SchemaViolation, validateDocument } from '../../lib/analysis/schema';

const service = (name: string, namespace: string | undefined, port: number): Doc => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace && { namespace }) },
  spec: { selector: { app: name }, ports: [{ name: 'http', port }] },
});

describe('MeshIndex.ofLatest', () => {
  test('keeps the last object of each identity, in the order of last appearance', () => {
    const inputs = [service('a', 'shop', 1), service('b', 'shop', 2), service('a', undefined, 3), service('a', 'shop', 4)]
      .map(doc => ({ doc }));
    const index = MeshIndex.ofLatest(inputs);
    expect(index.resources.map(r => `${r.namespace}/${r.name}:${r.doc.spec.ports[0].port}`)).toEqual(['shop/b:2', 'default/a:3', 'shop/a:4']);
    expect(index.find(KINDS.Service, 'shop', 'a')?.doc.spec.ports[0].port).toBe(4);
    expect(index.find(KINDS.Service, 'default', 'a')?.doc.spec.ports[0].port).toBe(3);
    expect(index.find(KINDS.Service, 'shop', 'c')).toBeUndefined();
  });

  test('tells a cluster-scoped kind from a namespaced kind of the same name in another group', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace: 'ignored' } };
    const widget = { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'shop' } };
    const index = MeshIndex.ofLatest([{ doc: namespace }, { doc: widget }]);
    expect(index.resources.map(r => `${r.group}/${r.kind} ${r.namespace}/${r.name}`)).toEqual(['/Namespace /shop', 'example.com/Namespace default/shop']);
  });
});

describe('AnalysisInput.violations', () => {
  const broken = { ...service('reviews', 'shop', 80), spec: { ports: [{ port: 'eighty' }] } };
  const schemaFindings = (inputs: AnalysisInput[]) => analyze(inputs).filter(m => m.code === 'IST0106').map(m => m.message);

  test('given, they are reported as the schema check would report them', () => {
    const violations = validateDocument(broken);
    expect(violations.length).toBeGreaterThan(0);
    expect(schemaFindings([{ doc: broken, violations }])).toEqual(schemaFindings([{ doc: broken }]));
  });

  test('given, they are what counts: the document is not checked again', () => {
    const given: SchemaViolation = { apiVersion: 'v1', kind: 'Service', name: 'reviews', namespace: 'shop', path: 'spec', message: 'given', source: 'schema' };
    expect(schemaFindings([{ doc: broken, violations: [] }])).toEqual([]);
    expect(schemaFindings([{ doc: service('reviews', 'shop', 80), violations: [given] }])).toEqual(['Schema validation error: spec: given.']);
  });
});
