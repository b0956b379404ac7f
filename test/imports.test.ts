import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { SHARED_DIR, testNeeding } from './support/reference';
import { KUBERNETES_L1_NAMES } from '../lib/core/kubernetes-l1';
import { DEFINED_ENTRIES_MODULE, linearToJson } from '../scripts/linear-to-json';

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(SHARED_DIR, 'istio', 'crd-all.gen.yaml');
const IMPORTS = path.join(ROOT, 'imports');

test('the L1 imports carry no snake_case aliases (mirror_percent, jwks_uri) and no CRD description prose', () => {
  for (const file of ['networking.istio.io.ts', 'security.istio.io.ts', 'gateway.networking.k8s.io.ts', 'telemetry.istio.io.ts']) {
    const source = fs.readFileSync(path.join(IMPORTS, file), 'utf8');
    expect(source).not.toMatch(/mirror_percent|jwks_uri/);
    // Only the importer's own boilerplate comments remain, none of the CRDs' field descriptions.
    const prose = source.split('\n').filter(l => /^\s*\* [A-Za-z]/.test(l) && !/@schema|@default|Converts an object|Renders|This can be used|Returns the apiVersion|Defines a "|@param/.test(l));
    expect(prose).toEqual([]);
    expect(fs.statSync(path.join(IMPORTS, file)).size).toBeLessThan(400 * 1024);
  }
  // A `description` whose value is text is prose; GatewayClass has a field named description (a schema object).
  expect(fs.readFileSync(path.join(IMPORTS, 'crd-schemas.ts'), 'utf8')).not.toContain('\\"description\\":\\"');
});

test('the L1 classes keep every API field name except consecutive5xxErrors (whose output the DestinationRule tests check)', () => {
  // The generated toJson_* functions map `'<API name>': obj.<TypeScript name>`; a field whose two
  // names differ is silently dropped unless the library writes the TypeScript name.
  const renamed = ['networking.istio.io.ts', 'security.istio.io.ts', 'gateway.networking.k8s.io.ts', 'telemetry.istio.io.ts'].flatMap(file => {
    const source = fs.readFileSync(path.join(IMPORTS, file), 'utf8');
    return [...source.matchAll(/'([A-Za-z0-9_]+)': (?:toJson_\w+\()?obj\.([A-Za-z0-9_]+)/g)].filter(m => m[1] !== m[2]).map(m => `${m[1]} -> ${m[2]}`);
  });
  expect([...new Set(renamed)]).toEqual(['consecutive5xxErrors -> consecutive5XxErrors']);
});

testNeeding('istio/crd-all.gen.yaml')('imports/ is exactly what `npm run import` generates from the Istio and Gateway API CRDs (never edited by hand)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-imports-'));
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'import-crds.ts'), '--outdir', outdir,
    '--gateway-api', path.join(SHARED_DIR, 'gateway-api'), BUNDLE], { cwd: ROOT, stdio: 'pipe' });
  const committed = fs.readdirSync(IMPORTS).sort();
  expect(fs.readdirSync(outdir).sort()).toEqual(committed);
  for (const file of committed) {
    expect({ file, same: fs.readFileSync(path.join(outdir, file), 'utf8') === fs.readFileSync(path.join(IMPORTS, file), 'utf8') }).toEqual({ file, same: true });
  }
  fs.rmSync(outdir, { recursive: true, force: true });
}, 60_000);

describe('imports/kubernetes-l1.ts, the Kubernetes L1 classes the library emits', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the two generated modules compared, as the library loads them
  const subset = require('../imports/kubernetes-l1');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const full = require('cdk8s-plus-28/lib/imports/k8s');

  test('defines every name lib/core/kubernetes-l1.ts lists, as cdk8s-plus-28 does', () => {
    for (const name of KUBERNETES_L1_NAMES) expect({ name, type: typeof subset[name] }).toEqual({ name, type: typeof full[name] });
  });

  test('renders the same manifests as cdk8s-plus-28 for objects using its conversions (pod template, probes, quantities, ports)', () => {
    const container = {
      name: 'app',
      image: 'shop/app:1.0',
      ports: [{ containerPort: 8080, name: 'http' }],
      resources: { requests: { cpu: subset.Quantity.fromString('100m') }, limits: { memory: subset.Quantity.fromString('128Mi') } },
      readinessProbe: { httpGet: { path: '/ready', port: subset.IntOrString.fromNumber(8080) } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      env: [{ name: 'MODE', value: 'prod' }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    };
    const template = { metadata: { labels: { app: 'shop' } }, spec: { containers: [container], volumes: [{ name: 'data', emptyDir: {} }] } };
    const cases: [string, object][] = [
      ['KubeDeployment', { metadata: { name: 'shop' }, spec: { selector: { matchLabels: { app: 'shop' } }, template } }],
      ['KubeStatefulSet', { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template } }],
      ['KubeService', { metadata: { name: 'shop' }, spec: { ports: [{ port: 80, targetPort: subset.IntOrString.fromString('http') }], clusterIp: 'None' } }],
      ['KubeServiceAccount', { metadata: { name: 'shop' }, automountServiceAccountToken: false }],
      ['KubeNamespace', { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } }],
      ['KubeConfigMap', { metadata: { name: 'cfg' }, data: { a: 'b' } }],
      ['KubeClusterRole', { metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }],
      ['KubeClusterRoleBinding', {
        metadata: { name: 'b' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
        subjects: [{ kind: 'ServiceAccount', name: 'shop', namespace: 'shop' }],
      }],
    ];
    for (const [kind, props] of cases) {
      expect({ kind, manifest: subset[kind].manifest(props) }).toEqual({ kind, manifest: full[kind].manifest(props) });
    }
  });
});

describe('linearToJson (scripts/linear-to-json.ts), applied to the generated conversions', () => {
  const source = [
    'export function toJson_Inner(v: any): any { return { wrapped: v }; }',
    'export function same(obj: any): any { return Object.entries(obj).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {}); }',
    'export function quantities(obj: any): any { return Object.entries(obj).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1]?.value }), {}); }',
    'export function nested(obj: any): any { return Object.entries(obj).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: toJson_Inner(i[1]) }), {}); }',
  ].join('\n');
  /** A module's exports, compiled from TypeScript; `./defined-entries` is imports/defined-entries.ts as `npm run import` writes it. */
  const load = (text: string): Record<string, (obj: unknown) => unknown> => {
    const module = { exports: {} as Record<string, (obj: unknown) => unknown> };
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 };
    const compiled = ts.transpileModule(text, { compilerOptions }).outputText;
    const requireHelper = (id: string) => {
      if (id !== './defined-entries') throw new Error(`unexpected require of ${id}`);
      return load(DEFINED_ENTRIES_MODULE);
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test's own versions of one module
    new Function('module', 'exports', 'require', compiled)(module, module.exports, requireHelper);
    return module.exports;
  };

  test('builds the same objects as the importer\'s reduce: members in order, undefined ones dropped, values converted', () => {
    const rewritten = linearToJson(source);
    expect(rewritten).not.toContain('.reduce((r, i) =>');
    const before = load(source);
    const after = load(rewritten);
    const inputs = [{}, { b: 1, a: undefined, c: null, d: { x: 1 } }, JSON.parse('{"__proto__": {"x": 1}, "z": 2}'), { q: { value: '1Gi' }, r: undefined }];
    for (const name of ['same', 'quantities', 'nested']) {
      for (const input of inputs) {
        const [x, y] = [before[name](input), after[name](input)] as Record<string, unknown>[];
        expect({ name, keys: Object.keys(y), json: JSON.stringify(y), proto: Object.getPrototypeOf(y) })
          .toEqual({ name, keys: Object.keys(x), json: JSON.stringify(x), proto: Object.getPrototypeOf(x) });
      }
    }
  });

  test('leaves no quadratic reduce in the committed imports', () => {
    for (const file of fs.readdirSync(IMPORTS)) expect({ file, reduce: /\.reduce\(\(r, i\) =>/.test(fs.readFileSync(path.join(IMPORTS, file), 'utf8')) }).toEqual({ file, reduce: false });
  });
});
