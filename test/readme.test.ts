import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';

/** The README's library example runs as written (with the package import pointed at lib/). */
test('the README library example synthesizes what the README says it does', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-readme-'));
  const source = example.replace("outdir: 'dist/shop'", `outdir: ${JSON.stringify(path.join(outdir, 'shop'))}`);
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const load = (id: string) => (id === 'cdk8s-istio' ? require('../lib') : require(id));
  new Function('require', 'exports', js)(load, {});

  const docs = yaml.loadAll(fs.readFileSync(path.join(outdir, 'shop', 'shop.yaml'), 'utf8')) as any[];
  const find = (kind: string, name: string) => docs.find(d => d.kind === kind && d.metadata.name === name);
  expect(find('Namespace', 'shop').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
  expect(find('Service', 'orders').spec.ports).toEqual([{ name: 'http', port: 8080 }]);
  expect(find('Service', 'cache').spec.ports).toEqual([{ name: 'redis', port: 6379 }]);
  expect(find('DestinationRule', 'orders').spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  expect(find('DestinationRule', 'cache')).toBeUndefined();
  expect(find('Gateway', 'shop-gateway').spec.servers[1].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-tls' });
  expect(find('VirtualService', 'orders-route').spec.http[1]).toMatchObject({
    route: [{ weight: 90 }, { weight: 10 }], timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,connect-failure' },
  });
  fs.rmSync(outdir, { recursive: true, force: true });
});
