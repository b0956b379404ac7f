import { HelloSettings, helloApp } from '../../apps/hello';
import { formatViolation, validateDocuments } from '../../lib';
import { Doc, findDoc, ofKind } from '../support/constructs';

/**
 * What a platform engineer checks in dist/hello/: the base file, one self-contained file per
 * weighted split between v1 and v2 (scenarios/), and the optional NodePort Service of the ingress
 * gateway (nodeport/), and that the settings reach every file they should.
 */

const SCENARIOS: readonly [string, number, number][] = [
  ['scenarios/helloworld-v1-90-v2-10.yaml', 90, 10],
  ['scenarios/helloworld-v1-50-v2-50.yaml', 50, 50],
  ['scenarios/helloworld-v1-0-v2-100.yaml', 0, 100],
];
const NODEPORT_FILE = 'nodeport/istio-ingressgateway-nodeport.yaml';

/** The documents of each output file. */
function synth(settings: HelloSettings = {}): Map<string, Doc[]> {
  const { app, fileOf } = helloApp(settings);
  const files = new Map<string, Doc[]>();
  for (const chart of app.charts) files.set(fileOf(chart), [...files.get(fileOf(chart)) ?? [], ...chart.toJson() as Doc[]]);
  return files;
}

describe('hello app', () => {
  const files = synth();
  const file = (name: string, from = files) => {
    const docs = from.get(name);
    if (!docs) throw new Error(`no file ${name} among ${[...from.keys()].join(', ')}`);
    return docs;
  };

  test('writes helloworld.yaml, three scenario files and the NodePort file', () => {
    expect([...files.keys()].sort()).toEqual(['helloworld.yaml', NODEPORT_FILE, ...SCENARIOS.map(([f]) => f)].sort());
  });

  test('only helloworld.yaml is top level (a non-recursive `kubectl apply -f dist/hello/` applies just it)', () => {
    expect([...files.keys()].filter(f => !f.includes('/'))).toEqual(['helloworld.yaml']);
  });

  describe('base', () => {
    const base = file('helloworld.yaml');

    test('Namespace helloworld with sidecar injection, a Service on 5000 and Deployments helloworld-v1 and -v2', () => {
      expect(base.map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
        'Deployment/helloworld-v1', 'Deployment/helloworld-v2', 'Gateway/helloworld-gateway', 'Namespace/helloworld',
        'Service/helloworld', 'ServiceAccount/helloworld', 'VirtualService/helloworld',
      ]);
      expect(findDoc(base, 'Namespace', 'helloworld').metadata.labels).toEqual(expect.objectContaining({ 'istio-injection': 'enabled' }));
      expect(findDoc(base, 'Service', 'helloworld').spec.ports).toEqual([{ name: 'http', port: 5000 }]);
      for (const v of ['v1', 'v2']) {
        const d = findDoc(base, 'Deployment', `helloworld-${v}`);
        expect(d.spec.template.metadata.labels).toEqual({ app: 'helloworld', version: v });
        expect(d.spec.template.spec.containers.map((c: any) => c.image)).toEqual([`registry.istio.io/release/examples-helloworld-${v}:1.0`]);
      }
    });

    test('the base VirtualService sends /hello to the helloworld Service on 5000 (both versions, no subsets)', () => {
      const vs = findDoc(base, 'VirtualService', 'helloworld');
      expect(vs.spec.gateways).toEqual(['helloworld-gateway']);
      expect(vs.spec.http).toEqual([{ match: [{ uri: { exact: '/hello' } }], route: [{ destination: { host: 'helloworld', port: { number: 5000 } } }] }]);
    });
  });

  describe.each(SCENARIOS)('scenario %s', (name, v1, v2) => {
    const docs = file(name);

    test('holds exactly the DestinationRule and the VirtualService helloworld, in namespace helloworld', () => {
      expect(docs.map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual(['DestinationRule/helloworld', 'VirtualService/helloworld']);
      for (const d of docs) expect(d.metadata.namespace).toBe('helloworld');
    });

    test('the DestinationRule defines subsets v1 and v2 by the version label', () => {
      const rule = findDoc(docs, 'DestinationRule', 'helloworld');
      expect(rule.spec.host).toBe('helloworld');
      expect(rule.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    });

    test(`the VirtualService, on the gateway, splits /hello (exact) ${v1}/${v2} between v1 and v2 on port 5000`, () => {
      const vs = findDoc(docs, 'VirtualService', 'helloworld');
      expect(vs.spec.gateways).toEqual(['helloworld-gateway']);
      expect(vs.spec.hosts).toEqual(['*']);
      expect(vs.spec.http).toHaveLength(1);
      expect(vs.spec.http[0].match).toEqual([{ uri: { exact: '/hello' } }]);
      expect(vs.spec.http[0].route).toEqual([
        { destination: { host: 'helloworld', subset: 'v1', port: { number: 5000 } }, weight: v1 },
        { destination: { host: 'helloworld', subset: 'v2', port: { number: 5000 } }, weight: v2 },
      ]);
      expect(v1 + v2).toBe(100);
    });

    test('replaces the base VirtualService (same name and namespace) and its subsets select pods of the base Deployments', () => {
      const baseVs = findDoc(file('helloworld.yaml'), 'VirtualService', 'helloworld');
      const vs = findDoc(docs, 'VirtualService', 'helloworld');
      expect([vs.metadata.name, vs.metadata.namespace]).toEqual([baseVs.metadata.name, baseVs.metadata.namespace]);
      const podLabels = ofKind(file('helloworld.yaml'), 'Deployment').map(d => d.spec.template.metadata.labels);
      for (const subset of findDoc(docs, 'DestinationRule', 'helloworld').spec.subsets) {
        const selected = podLabels.filter(l => Object.entries(subset.labels).every(([k, v]) => l[k] === v));
        expect(selected).toHaveLength(1);
      }
    });
  });

  describe('nodeport/istio-ingressgateway-nodeport.yaml', () => {
    test('one NodePort Service in istio-system selecting istio: ingressgateway, port 80 -> 8080 on node port 30080', () => {
      const docs = file(NODEPORT_FILE);
      expect(docs).toHaveLength(1);
      const svc = findDoc(docs, 'Service', 'istio-ingressgateway-nodeport');
      expect(svc.metadata.namespace).toBe('istio-system');
      expect(svc.spec.type).toBe('NodePort');
      expect(svc.spec.selector).toEqual({ istio: 'ingressgateway' });
      expect(svc.spec.ports).toHaveLength(1);
      expect(svc.spec.ports[0]).toEqual(expect.objectContaining({ port: 80, targetPort: 8080, nodePort: 30080 }));
    });

    test('the nodePort setting changes the node port (and nothing else)', () => {
      const svc = findDoc(file(NODEPORT_FILE, synth({ nodePort: 31234 })), 'Service', 'istio-ingressgateway-nodeport');
      expect(svc.spec.ports[0]).toEqual(expect.objectContaining({ port: 80, targetPort: 8080, nodePort: 31234 }));
      const base = findDoc(file(NODEPORT_FILE), 'Service', 'istio-ingressgateway-nodeport');
      expect({ ...svc, spec: { ...svc.spec, ports: [{ ...svc.spec.ports[0], nodePort: 30080 }] } }).toEqual(base);
    });
  });

  describe('settings', () => {
    test('replicas applies to both Deployments', () => {
      const deployments = ofKind(file('helloworld.yaml', synth({ replicas: 4 })), 'Deployment');
      expect(deployments.map(d => [d.metadata.name, d.spec.replicas])).toEqual([['helloworld-v1', 4], ['helloworld-v2', 4]]);
      expect(ofKind(file('helloworld.yaml'), 'Deployment').map(d => d.spec.replicas)).toEqual([1, 1]);
    });

    test('imageTag (and imageRegistry) set the images of both versions', () => {
      const images = (settings: HelloSettings) => ofKind(file('helloworld.yaml', synth(settings)), 'Deployment').map(d => d.spec.template.spec.containers[0].image);
      expect(images({ imageTag: '1.1' })).toEqual(['registry.istio.io/release/examples-helloworld-v1:1.1', 'registry.istio.io/release/examples-helloworld-v2:1.1']);
      expect(images({ imageRegistry: 'mirror.acme.test/istio', imageTag: '2.0' })).toEqual(['mirror.acme.test/istio/examples-helloworld-v1:2.0', 'mirror.acme.test/istio/examples-helloworld-v2:2.0']);
    });

    test('namespace moves the base and every scenario; the NodePort Service stays in istio-system', () => {
      const moved = synth({ namespace: 'hello-demo' });
      findDoc(file('helloworld.yaml', moved), 'Namespace', 'hello-demo');
      for (const [name, docs] of moved) {
        for (const d of docs.filter(x => x.kind !== 'Namespace')) {
          const expected = name === NODEPORT_FILE ? 'istio-system' : 'hello-demo';
          expect(`${name} ${d.kind}/${d.metadata.name}: ${d.metadata.namespace}`).toBe(`${name} ${d.kind}/${d.metadata.name}: ${expected}`);
        }
      }
    });
  });

  test.each<[string, HelloSettings]>([
    ['defaults', {}],
    ['every setting', { namespace: 'hello-demo', imageRegistry: 'mirror.acme.test/istio', imageTag: '2.0', replicas: 3, nodePort: 31234 }],
  ])('every document of every file is valid against the Istio CRDs and the Kubernetes API (%s)', (_, settings) => {
    for (const [name, docs] of synth(settings)) {
      expect(docs.length).toBeGreaterThan(0);
      expect({ file: name, violations: validateDocuments(docs).map(formatViolation) }).toEqual({ file: name, violations: [] });
    }
  });
});
