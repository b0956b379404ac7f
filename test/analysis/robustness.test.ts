import { analyze } from '../../lib/analysis/analyze';
import { Analyzer, AnalyzerError } from '../../lib/analysis/analyzer';
import { ANALYZERS } from '../../lib/analysis/analyzers';
import { AnalysisMessage } from '../../lib/analysis/messages';

type Doc = Record<string, any>;

const meta = (name: string) => ({ name, namespace: 'shop' });
const istio = (kind: string, spec: unknown, group = 'networking.istio.io/v1'): Doc =>
  ({ apiVersion: group, kind, metadata: meta(kind.toLowerCase()), spec });
const gatewayRef = {
  ...istio('VirtualService', { hosts: ['shop.example.com'], gateways: ['gateway'], http: [{ route: [{ destination: { host: 'web' } }] }] }),
  metadata: meta('referrer'),
};

/** Documents of known kinds whose shape breaks their schema: each is IST0106, and the other analyzers never see it. */
const MALFORMED: readonly [string, Doc][] = [
  ['hosts: 5', istio('VirtualService', { hosts: 5 })],
  ['gateways: [null]', istio('VirtualService', { hosts: ['a'], gateways: [null], http: [{ route: [{ destination: { host: 'a' } }] }] })],
  ['http: "x"', istio('VirtualService', { hosts: ['a'], http: 'x' })],
  ['a null route', istio('VirtualService', { hosts: ['a'], http: [{ route: [null] }] })],
  ['a destination that is a string', istio('VirtualService', { hosts: ['a'], http: [{ route: [{ destination: 'web' }] }] })],
  ['servers: [null]', istio('Gateway', { servers: [null] })],
  ['server hosts: "x"', istio('Gateway', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: 'x' }] })],
  ['spec: "x" on a Gateway', istio('Gateway', 'x')],
  ['selector: []', istio('Gateway', { selector: [], servers: [] })],
  ['DestinationRule host: 5', istio('DestinationRule', { host: 5, subsets: [{ name: 'v1' }] })],
  ['subsets: [null]', istio('DestinationRule', { host: 'web', subsets: [null] })],
  ['trafficPolicy: []', istio('DestinationRule', { host: 'web', trafficPolicy: [] })],
  ['ServiceEntry hosts: [5]', istio('ServiceEntry', { hosts: [5], resolution: 'NONE' })],
  ['PeerAuthentication mtls: "STRICT"', istio('PeerAuthentication', { mtls: 'STRICT' }, 'security.istio.io/v1')],
  ['AuthorizationPolicy rules: {}', istio('AuthorizationPolicy', { rules: {} }, 'security.istio.io/v1')],
  ['AuthorizationPolicy from: [null]', istio('AuthorizationPolicy', { rules: [{ from: [null] }] }, 'security.istio.io/v1')],
  ['Telemetry selector: 5', istio('Telemetry', { selector: 5 }, 'telemetry.istio.io/v1')],
  ['Service ports: 5', { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { ports: 5 } }],
  ['Service ports: [null]', { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { ports: [null] } }],
  ['Namespace labels: []', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: [] } }],
  ['Deployment template: "x"', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { template: 'x' } }],
  ['Deployment containers: [null]', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [null] } } },
  }],
  ['Pod spec: 5', { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug'), spec: 5 }],
  ['a Gateway API Gateway with listeners: null', istio('Gateway', { listeners: null }, 'gateway.networking.k8s.io/v1')],
  ['an HTTPRoute with rules: [null]', istio('HTTPRoute', { parentRefs: [{ name: 'gw' }], rules: [null] }, 'gateway.networking.k8s.io/v1')],
];

/** Documents no schema covers (CDK0001): they pass through, and analyzers that read their kind must cope with any shape. */
const UNVALIDATED: readonly [string, Doc][] = [
  ['a Deployment of an unserved version with odd fields', {
    apiVersion: 'apps/v1beta9',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: { template: { metadata: { labels: 5 }, spec: { containers: 'x' } } },
  }],
  ['a VirtualService of an unknown version with hosts: 5', istio('VirtualService', { hosts: 5, gateways: 7 }, 'networking.istio.io/v9')],
  ['a Gateway API Gateway of an unserved version with listeners: null', istio('Gateway', { listeners: null }, 'gateway.networking.k8s.io/v9')],
  ['an example.com Widget with spec: "x"', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w'), spec: 'x' }],
];

/** Documents of kinds without a schema whose metadata the API server refuses, and the field reported. */
const BAD_METADATA: readonly [string, Doc, string[]][] = [
  ['metadata that is a string', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: 'x' }, ['metadata']],
  ['a name that is a number', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 5, annotations: { a: 1 } } },
    ['metadata.annotations', 'metadata.name']],
  ['a name in upper case and an unknown metadata field', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'My_Widget', owner: 'me' } },
    ['metadata.name', 'metadata.owner']],
];

/** Values that are not objects at all. */
const NOT_OBJECTS: readonly [string, unknown][] = [
  ['null', null], ['a number', 5], ['a string', 'x'], ['an array', [1]], ['an object without kind', {}],
];

const codesOf = (messages: readonly AnalysisMessage[]) => [...new Set(messages.map(m => m.code))].sort();

describe('analyze() on malformed documents', () => {
  test.each(MALFORMED)('%s: reported as IST0106 on that document, and no analyzer throws', (_label, doc) => {
    const messages = analyze([doc, gatewayRef]);
    expect(messages.filter(m => m.code === 'IST0106').map(m => m.resource.name)).toContain(doc.metadata.name);
  });

  test.each(MALFORMED)('%s: the other analyzers do not read it (only IST0106 names it)', (_label, doc) => {
    const about = analyze([doc]).filter(m => m.resource.kind === doc.kind && m.resource.name === doc.metadata.name);
    expect(codesOf(about)).toEqual(['IST0106']);
  });

  test('a Gateway that breaks its schema does not satisfy a gateways reference', () => {
    const messages = analyze([istio('Gateway', { servers: [null] }), gatewayRef]);
    const notFound = messages.find(m => m.code === 'IST0101' && m.field === 'spec.gateways[0]');
    expect(notFound?.message).toContain('Referenced gateway not found: "gateway"');
  });

  test.each(UNVALIDATED)('%s: passes through unvalidated as CDK0001 (CDK0011 for a version the API server does not serve), '
    + 'and no analyzer throws', (_label, doc) => {
    const messages = analyze([doc, gatewayRef]);
    const expected = /^(apps|networking\.istio\.io)\//.test(String(doc.apiVersion)) ? 'CDK0011' : 'CDK0001';
    expect(messages.filter(m => m.code === expected && m.resource.kind === doc.kind).length).toBe(1);
    expect(messages.filter(m => m.code === 'IST0106' && m.resource.kind === doc.kind)).toEqual([]);
  });

  test.each(BAD_METADATA)('%s: a kind without a schema still has its metadata checked (IST0106), and no analyzer throws', (_label, doc, fields) => {
    const messages = analyze([doc, gatewayRef]);
    expect(messages.filter(m => m.code === 'CDK0001' && m.resource.kind === 'Widget').length).toBe(1);
    expect(messages.filter(m => m.code === 'IST0106' && m.resource.kind === 'Widget').map(m => m.field).sort()).toEqual(fields);
  });

  test.each(NOT_OBJECTS)('%s as a document is skipped', (_label, doc) => {
    expect(() => analyze([doc as Doc])).not.toThrow();
    expect(() => analyze([{ doc: doc as Doc }])).not.toThrow();
  });

  test('every malformed and unvalidated document at once, with every analyzer', () => {
    const docs = [...MALFORMED, ...UNVALIDATED, ...BAD_METADATA].map(([, d]) => d);
    expect(codesOf(analyze(docs))).toEqual(expect.arrayContaining(['CDK0001', 'IST0106']));
  });

  test('without the schema check (custom analyzer list), analyzers still do not throw on unvalidated kinds', () => {
    const analyzers = ANALYZERS.filter(a => !a.codes.includes('IST0106'));
    expect(() => analyze(UNVALIDATED.map(([, d]) => d), { analyzers })).not.toThrow();
  });
});

describe('an analyzer that throws', () => {
  const failure = "Cannot read properties of undefined (reading 'x')";
  const broken: Analyzer = { name: 'broken-check', codes: ['IST0101'], analyze: () => { throw new TypeError(failure); } };

  test('becomes an AnalyzerError naming the analyzer, with the original error as cause', () => {
    let error: unknown;
    try {
      analyze([gatewayRef], { analyzers: [broken] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalyzerError);
    expect((error as AnalyzerError).message).toBe(`internal error in analyzer broken-check: ${failure}`);
    expect((error as AnalyzerError).analyzer).toBe('broken-check');
    expect((error as AnalyzerError).cause).toBeInstanceOf(TypeError);
  });

  test('an analyzer without a name is named by its codes', () => {
    const unnamed: Analyzer = { codes: ['IST0128', 'IST0129'], analyze: () => { throw new Error('boom'); } };
    expect(() => analyze([], { analyzers: [unnamed] })).toThrow('internal error in analyzer IST0128+IST0129: boom');
  });

  test('every bundled analyzer has a name', () => {
    expect(ANALYZERS.filter(a => !a.name)).toEqual([]);
    expect(new Set(ANALYZERS.map(a => a.name)).size).toBe(ANALYZERS.length);
  });
});

describe('metadata rules the API server applies to every kind', () => {
  const widget = (metadata: Doc): Doc => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata });
  const fields = (doc: Doc) => analyze([doc]).filter(m => m.code === 'IST0106').map(m => m.field);

  test('annotation keys are checked lower-cased (an upper-case prefix is accepted), and their size counts UTF-8 bytes', () => {
    expect(fields(widget({ name: 'w', namespace: 'shop', annotations: { 'Example.COM/owner': 'me' } }))).toEqual([]);
    expect(fields(widget({ name: 'w', namespace: 'shop', annotations: { note: 'é'.repeat(140_000) } }))).toEqual(['metadata.annotations']);
  });

  test('Kubernetes\'s own kinds without a schema here keep their own name rules (an IPAddress is named by its address)', () => {
    expect(fields({ apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: '2001:db8::1' } })).toEqual([]);
    expect(fields({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'Alice:CSR' } })).toEqual([]);
    expect(fields({ apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress', metadata: { name: '10.0.0.1', owner: 'x' } })).toEqual(['metadata.owner']);
  });
});
