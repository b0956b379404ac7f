import * as fs from 'fs';
import * as path from 'path';
import { validateDocument } from '../../lib';
import { withStructuralDefaults } from '../../lib/analysis/schema/structural-defaults';
import { REFERENCE_DIR, readReference, testNeeding } from '../support/reference';

const GATEWAY_API = 'gateway.networking.k8s.io';
const route = (kind: string, spec: Record<string, unknown>, version = 'v1') =>
  ({ apiVersion: `${GATEWAY_API}/${version}`, kind, metadata: { name: 'r', namespace: 'shop' }, spec });
/** The violations of a document as `<path>: <what is wrong>` (without the fix the message ends with). */
const messages = (doc: Record<string, unknown>) => validateDocument(doc).map(v => `${v.path}: ${v.message.split('. Fix: ')[0]}`);

/**
 * The upstream samples' Gateway API files (istio/samples/<sample>/gateway-api/*.yaml), written out
 * so that the test count does not depend on ../shared.
 */
const SAMPLE_FILES = [
  'bookinfo/gateway-api/bookinfo-gateway.yaml', 'bookinfo/gateway-api/route-all-v1.yaml', 'bookinfo/gateway-api/route-reviews-50-v3.yaml',
  'bookinfo/gateway-api/route-reviews-90-10.yaml', 'bookinfo/gateway-api/route-reviews-v1.yaml', 'bookinfo/gateway-api/route-reviews-v3.yaml',
  'helloworld/gateway-api/helloworld-gateway.yaml', 'helloworld/gateway-api/helloworld-route.yaml', 'helloworld/gateway-api/helloworld-versions.yaml',
  'httpbin/gateway-api/httpbin-gateway.yaml', 'tcp-echo/gateway-api/tcp-echo-20-v2.yaml', 'tcp-echo/gateway-api/tcp-echo-all-v1.yaml',
];
const sampleTest = testNeeding('reference/istio/samples');

describe('Gateway API documents are validated against the v1.5.1 CRDs, CEL rules included', () => {
  sampleTest('the list of upstream Gateway API sample files is complete', () => {
    const samples = path.join(REFERENCE_DIR, 'istio', 'samples');
    const found = fs.readdirSync(samples).flatMap(s => {
      const dir = path.join(samples, s, 'gateway-api');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).map(f => `${s}/gateway-api/${f}`) : [];
    });
    expect(found.sort()).toEqual([...SAMPLE_FILES].sort());
  });

  sampleTest.each(SAMPLE_FILES)('every document of upstream %s is valid', (file) => {
    for (const doc of readReference(`istio/samples/${file}`)) expect({ doc: `${doc.kind}/${doc.metadata.name}`, problems: messages(doc) }).toEqual({ doc: `${doc.kind}/${doc.metadata.name}`, problems: [] });
  });

  test('defaults are applied before the CEL rules run, as the API server does: a Service backend needs a port', () => {
    const parentRefs = [{ name: 'gw' }];
    expect(messages(route('HTTPRoute', { parentRefs, rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] }))).toEqual([]);
    // kind defaults to Service and group to "": the rule on a Service reference applies to a backendRef that names neither
    expect(messages(route('HTTPRoute', { parentRefs, rules: [{ backendRefs: [{ name: 'reviews' }] }] })))
      .toEqual(['spec.rules[0].backendRefs[0]: Must have port for Service reference']);
  });

  test('a parent named twice needs a sectionName each (the CEL rule reads the defaulted group and kind)', () => {
    const twice = route('HTTPRoute', { parentRefs: [{ name: 'gw' }, { name: 'gw' }] });
    expect(messages(twice)).toContain('spec.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent');
  });

  test('Kubernetes\' isIP: a TLSRoute hostname may not be an IP address (v4 or v6)', () => {
    const tls = (hostnames: string[]) => route('TLSRoute', { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [{ name: 'db', port: 443 }] }] });
    expect(messages(tls(['db.example.com']))).toEqual([]);
    expect(messages(tls(['10.0.0.1']))).toEqual(['spec.hostnames: Hostnames cannot contain an IP']);
  });

  test('the experimental TCPRoute is validated as v1alpha2; apiVersion, kind and metadata are checked as for every kind', () => {
    expect(messages(route('TCPRoute', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'echo', port: 9000 }] }] }, 'v1alpha2'))).toEqual([]);
    expect(messages({ ...route('Gateway', { gatewayClassName: 'istio', listeners: [] }), metadata: { name: 'gw', labelz: {} } })).toEqual([
      'metadata.labelz: unknown field "labelz" in object metadata',
      'spec.listeners: must have at least 1 item',
    ]);
  });

  test('defaulting copies on write: the document given is not changed, and one needing no default is returned as it is', () => {
    const doc = route('HTTPRoute', { parentRefs: [{ name: 'gw' }] });
    const before = JSON.stringify(doc);
    const schema = { properties: { spec: { properties: { parentRefs: { items: { properties: { kind: { default: 'Gateway' }, name: {} } } } } } } };
    expect((withStructuralDefaults(doc, schema) as any).spec.parentRefs[0].kind).toBe('Gateway');
    expect(JSON.stringify(doc)).toBe(before);
    const complete = route('HTTPRoute', { parentRefs: [{ name: 'gw', kind: 'Gateway' }] });
    expect(withStructuralDefaults(complete, schema)).toBe(complete);
  });
});
