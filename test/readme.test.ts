import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';
import { temporaryFolder } from './support/temporary-folders';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
const example = blocks.find(b => b.includes("outdir: 'dist/shop'"))!;
const security = blocks.find(b => b.startsWith('// continues the example above') && b.includes('requireMtls()'))!;

/** Runs TypeScript from the README with `cdk8s-istio` pointed at lib/, returning the synthesized docs. */
function run(source: string): Record<string, any>[] {
  const outdir = temporaryFolder('cdk8s-istio-readme-');
  const js = ts.transpileModule(source.replace("outdir: 'dist/shop'", `outdir: ${JSON.stringify(outdir)}`), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  // The README block runs as a user's CommonJS module would: `cdk8s-istio` is this checkout's library.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  new Function('require', 'exports', js)((id: string) => (id === 'cdk8s-istio' ? require('../lib') : require(id)), {});
  return yaml.loadAll(fs.readFileSync(path.join(outdir, 'shop.yaml'), 'utf8')) as Record<string, any>[];
}

function find(docs: Record<string, any>[], kind: string, name: string): Record<string, any> | undefined {
  return docs.find(d => d.kind === kind && d.metadata.name === name);
}

test('the README library example synthesizes what the README says it does', () => {
  const docs = run(example);
  expect(find(docs, 'Namespace', 'shop')!.metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  expect(find(docs, 'Service', 'orders')!.spec.ports).toEqual([{ name: 'http', port: 8080 }]);
  expect(find(docs, 'Service', 'cache')!.spec.ports).toEqual([{ name: 'redis', port: 6379 }]);
  expect(find(docs, 'DestinationRule', 'orders')!.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  expect(find(docs, 'DestinationRule', 'cache')).toBeUndefined();
  // the official redis image switches user at start: it keeps the runtime's capabilities
  expect(find(docs, 'Deployment', 'cache-v1')!.spec.template.spec.containers[0].securityContext.capabilities).toEqual({});
  expect(find(docs, 'Gateway', 'shop-gateway')!.spec.servers[1].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-tls' });
  expect(find(docs, 'VirtualService', 'orders-route')!.spec.http[1]).toMatchObject({
    route: [{ weight: 90 }, { weight: 10 }], timeout: '5s', retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx,connect-failure' },
  });
});

test('the README zero-trust example, added to the first, emits the policies it describes', () => {
  const imports = security.split('\n').filter(l => l.startsWith('import ')).join('\n');
  const body = security.split('\n').filter(l => !l.startsWith('import ')).join('\n');
  const combined = example.replace(/^writeManifests/m, `${body}\nwriteManifests`);
  const docs = run(`${imports}\n${combined}`);
  expect(find(docs, 'PeerAuthentication', 'default')!.spec).toEqual({ mtls: { mode: 'STRICT' } });
  expect(find(docs, 'PeerAuthentication', 'default')!.metadata.namespace).toBe('shop');
  expect(docs.find(d => d.kind === 'PeerAuthentication' && d.metadata.namespace === 'istio-system')!.spec.mtls.mode).toBe('STRICT');
  expect(find(docs, 'AuthorizationPolicy', 'allow-nothing')!.spec).toEqual({});
  expect(find(docs, 'AuthorizationPolicy', 'cache-allow')!.spec.rules).toEqual([
    { from: [{ source: { principals: ['cluster.local/ns/shop/sa/orders'] } }], to: [{ operation: { ports: ['6379'] } }] },
  ]);
  expect(find(docs, 'AuthorizationPolicy', 'orders-allow')!.spec.rules[0].from).toEqual([
    { source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } },
  ]);
  expect(find(docs, 'AuthorizationPolicy', 'orders-jwt-require-jwt')!.spec).toMatchObject({
    action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }] }],
  });
});

test('the README\'s plan example prints what the README shows', () => {
  const shown = /googleapis egress scenario[\s\S]*?prints:\n\n```\n([\s\S]*?)```/.exec(README)![1];
  const dir = temporaryFolder('cdk8s-istio-readme-plan-');
  const bookinfo = path.join(__dirname, '..', 'dist', 'bookinfo');
  fs.mkdirSync(path.join(dir, 'old'));
  fs.mkdirSync(path.join(dir, 'new'));
  fs.copyFileSync(path.join(bookinfo, 'bookinfo.yaml'), path.join(dir, 'old', 'bookinfo.yaml'));
  fs.copyFileSync(path.join(bookinfo, 'bookinfo.yaml'), path.join(dir, 'new', 'bookinfo.yaml'));
  fs.copyFileSync(path.join(bookinfo, 'scenarios', 'egress-rule-google-apis.yaml'), path.join(dir, 'new', 'egress-rule-google-apis.yaml'));
  const bin = path.join(__dirname, '..', 'bin', 'cdk8s-istio.js');
  const plan = spawnSync(process.execPath, [bin, 'plan', 'old', 'new', '--out', 'plan/'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect({ status: plan.status, stderr: plan.stderr }).toEqual({ status: 0, stderr: '' });
  expect(plan.stdout).toBe(shown);
});
