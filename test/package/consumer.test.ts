import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import * as ts from 'typescript';
import { packTarball, prepareConsumer, ROOT, run, step, writeSources } from './consumer-project';

/**
 * The package as a consumer gets it: `npm pack`, installed into a fresh cdk8s project (see
 * consumer-project.ts), then what the README tells a user to do there, for real: compile every
 * ```ts block of the README under cdk8s init's tsconfig, `cdk8s synth` the README's first app with
 * the validation plugin configured as the README says, run a jest snapshot test with
 * `Testing.synth`, require the package, run its command, synthesize unknown kinds through it.
 *
 * README convention: a ```ts block whose first line starts with `// continues the example above`
 * is compiled together with the nearest block before it that does not, inserted before that
 * block's `writeManifests` line (its imports first). Every other block compiles on its own.
 *
 * The consumer's snapshot is test/package/consumer-snapshot.txt (not .snap: the repository's jest
 * would call it obsolete); after an intended change of the first app's output, run this test with
 * CDK8S_ISTIO_UPDATE_CONSUMER_SNAPSHOT=1 to rewrite it.
 * It needs the npm registry (the first run installs the consumer's tools, 28-57 s here) and takes
 * 20-30 s on a rerun; CDK8S_ISTIO_PACKAGE_TEST=off skips it, saying so (CI always runs it).
 */
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CONTINUES = '// continues the example above';
const SNAPSHOT = path.join(__dirname, 'consumer-snapshot.txt');

/** Every ```ts block of the README as a file to compile: continuations joined to the block they continue. */
function readmeSources(): Record<string, string> {
  const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const sources: Record<string, string> = {};
  let base: string | undefined;
  blocks.forEach((block, i) => {
    let source = block;
    if (block.startsWith(CONTINUES)) {
      if (base === undefined || !/^writeManifests\(/m.test(base)) {
        throw new Error(`README ts block ${i + 1} continues no example with a writeManifests line`);
      }
      const lines = block.split('\n');
      const imports = lines.filter((l) => l.startsWith('import ')).join('\n');
      const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
      source = `${imports}\n${base.replace(/^writeManifests\(/m, `${body}\nwriteManifests(`)}`;
    } else {
      base = block;
    }
    sources[`readme/block-${i + 1}.ts`] = source;
  });
  return sources;
}

/** The README block that is the first app (`main.ts`). */
function firstApp(): string {
  const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const app = blocks.find((b) => b.includes('app.synth()') && b.includes('class ShopChart'));
  if (!app) throw new Error('README has no first-app block (class ShopChart ... app.synth())');
  return app;
}

/** The README's cdk8s.yaml `validations:` block for the plugin. */
function pluginConfig(): string {
  const block = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('class: IstioValidation'));
  if (!block) throw new Error('README has no validations: block with class: IstioValidation');
  return block;
}

const CONSUMER_TEST = `import { Testing } from 'cdk8s';
import { ShopChart } from './main';

test('ShopChart synthesizes its mesh objects', () => {
  expect(Testing.synth(new ShopChart(Testing.app(), 'test'))).toMatchSnapshot();
});
`;

type Doc = Record<string, any>;
const find = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);

const enabled = process.env.CDK8S_ISTIO_PACKAGE_TEST !== 'off';
if (!enabled) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: CDK8S_ISTIO_PACKAGE_TEST=off, so the packed package is NOT tested in a consumer project.');
}
const suite = enabled ? describe : describe.skip;

let dir: string;
let tarball: string;

suite('the packed package in a cdk8s init project', () => {
  beforeAll(() => {
    tarball = packTarball();
    dir = prepareConsumer(tarball);
    const unknownKinds = ts.transpileModule(fs.readFileSync(path.join(__dirname, 'fixtures', 'unknown-kinds-app.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    }).outputText;
    writeSources(dir, {
      ...readmeSources(),
      'main.ts': firstApp(),
      'main.test.ts': CONSUMER_TEST,
      '__snapshots__/main.test.ts.snap': fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, 'utf8') : '',
      'unknown-kinds/app.js': unknownKinds,
      'cdk8s.yaml': `language: typescript\napp: npx ts-node main.ts\n${pluginConfig()}`,
    });
    step(`wrote ${Object.keys(readmeSources()).length} README blocks, main.ts (the README's first app), main.test.ts and cdk8s.yaml`);
  }, 600_000);

  afterAll(() => {
    if (tarball && !process.env.CDK8S_ISTIO_TARBALL) fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  });

  test('the tarball holds the bundled entry point, the compiled library, its declarations, the command, README and LICENSE, without source maps', () => {
    const files = run('tar', ['-tzf', tarball], ROOT).output.trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    const others = ['build/cdk8s-istio.js', 'build/cel.js', 'build/cli.js', 'build/read-worker.js', 'bin/cdk8s-istio.js', 'README.md', 'LICENSE',
      'package.json'];
    const unexpected = files.filter((f) => !/^build\/(lib|imports)\/.*\.(js|d\.ts)$/.test(f) && !others.includes(f));
    expect(unexpected).toEqual([]);
    expect(files).toEqual(expect.arrayContaining([
      'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/cli/main.js', 'build/imports/kubernetes-schemas.js',
    ]));
    const installed = path.join(dir, 'node_modules', 'cdk8s-istio');
    const inlineMap = (f: string) => fs.readFileSync(path.join(installed, f), 'utf8').includes('sourceMappingURL=data:');
    const inlineMaps = files.filter((f) => f.endsWith('.js') && inlineMap(f));
    expect(inlineMaps).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(Object.keys(manifest.dependencies)).not.toContain('kubernetes-models');
    // `require('cdk8s-istio')` loads the bundle (build/cdk8s-istio.js, through lib/main.ts), which exports what
    // build/lib/index.js does, classes and functions under their own names (error messages and stack traces show them)
    expect(manifest.main).toBe('build/lib/main.js');
    const exportsOf = (id: string) => `JSON.stringify(Object.entries(require(${JSON.stringify(id)})).map(([k, v]) => [k, typeof v, v && v.name]).sort())`;
    const same = run(process.execPath, ['-e', `process.stdout.write(String(${exportsOf('cdk8s-istio')} === ${exportsOf('cdk8s-istio/build/lib/index.js')}))`], dir);
    expect(same.output).toBe('true');
  });

  test('every README ts block compiles in the consumer project (cdk8s init tsconfig: strict, noUnusedLocals)', () => {
    const tsc = path.join(dir, 'node_modules', '.bin', 'tsc');
    // incremental: tsc reports the same errors, and re-checks only the files (and declarations of the
    // package) that changed since the last run; its state goes away with the consumer's node_modules.
    const incremental = ['--incremental', '--tsBuildInfoFile', path.join('node_modules', '.cache', 'readme-blocks.tsbuildinfo')];
    const { status, output } = run(tsc, ['--noEmit', '-p', 'tsconfig.json', ...incremental], dir, { check: false });
    expect({ status, output }).toEqual({ status: 0, output: '' });
  }, 300_000);

  test('the README library example, run in the consumer project, writes the objects the README lists', () => {
    // the zero-trust continuation of the main example: it runs the whole example, mTLS and policies included
    const [block] = Object.entries(readmeSources()).find(([, source]) => source.includes('ns.requireMtls()')) ?? [];
    expect(block).toBeDefined();
    run(process.execPath, ['--require', 'ts-node/register/transpile-only', block!], dir);
    const docs = yaml.loadAll(fs.readFileSync(path.join(dir, 'dist', 'shop', 'shop.yaml'), 'utf8')) as Doc[];
    expect(find(docs, 'DestinationRule', 'orders')?.spec.subsets.map((s: Doc) => s.name)).toEqual(['v1', 'v2']);
    expect(find(docs, 'AuthorizationPolicy', 'allow-nothing')).toBeDefined();
  }, 300_000);

  test('cdk8s synth of the README first app, with the validation plugin as the README configures it', () => {
    const { output } = run(path.join(dir, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade'], dir);
    expect(output).toMatch(/Validation Report \(.*cdk8s-istio@0\.0\.0\)/);
    expect(output).toMatch(/Status\s+│ success/);
    const docs = yaml.loadAll(fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8')) as Doc[];
    expect(find(docs, 'Namespace', 'shop')?.metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(find(docs, 'Service', 'hello')?.spec.ports).toEqual([{ name: 'http', port: 5678 }]);
    expect(find(docs, 'Deployment', 'hello-v1')?.spec.template.metadata.labels).toMatchObject({ app: 'hello', version: 'v1' });
  }, 300_000);

  test('the consumer\'s jest snapshot test (Testing.synth) passes', () => {
    const update = process.env.CDK8S_ISTIO_UPDATE_CONSUMER_SNAPSHOT === '1';
    const args = update ? ['--ci=false', '-u'] : ['--ci'];
    run(path.join(dir, 'node_modules', '.bin', 'jest'), args, dir);
    if (update) fs.copyFileSync(path.join(dir, '__snapshots__', 'main.test.ts.snap'), SNAPSHOT);
    expect(fs.readFileSync(SNAPSHOT, 'utf8')).toContain('"istio-injection": "enabled"');
  }, 300_000);

  test('require(\'cdk8s-istio\') gives the documented API, and its command runs', () => {
    const names = ['MeshService', 'MeshNamespace', 'VirtualService', 'writeManifests', 'IstioValidation', 'accessMatrix', 'validateDocuments'];
    const missing = `const m = require('cdk8s-istio'); console.log(${JSON.stringify(names)}.filter(n => !m[n]).join(','))`;
    const { output } = run(process.execPath, ['-e', missing], dir);
    expect(output.trim()).toBe('');
    // the README's command, on the folder `cdk8s synth` wrote with the validation plugin (so with its construct-metadata.json)
    expect(fs.existsSync(path.join(dir, 'dist', 'construct-metadata.json'))).toBe(true);
    const analyze = run(path.join(dir, 'node_modules', '.bin', 'cdk8s-istio'), ['analyze', 'dist/'], dir, { check: false });
    expect(analyze).toEqual({ status: 0, output: expect.stringContaining('Note: not read: dist/construct-metadata.json') });
  }, 120_000);

  test('a large app (over 2,000 documents) written by the installed package dumps its YAML on a thread: the same bytes as one thread', () => {
    // counts the worker threads started, to tell that the thread did the work
    const program = `const threads = require('worker_threads');
let started = 0;
threads.Worker = class extends threads.Worker { constructor(...args) { super(...args); started++; } };
const { App, Chart } = require('cdk8s');
const { MeshNamespace, MeshService, writeManifests } = require('cdk8s-istio');
const app = new App();
for (let n = 0; n < 50; n++) {
  const chart = new Chart(app, 'team-' + n, { namespace: 'team-' + n });
  new MeshNamespace(chart, 'team-' + n);
  for (let i = 0; i < 10; i++) {
    new MeshService(chart, 'svc-' + i, { port: 8080, versions: { v1: { image: 'example/svc:1' }, v2: { image: 'example/svc:2' } } });
  }
}
writeManifests(app, { outdir: process.argv[2] });
console.log('threads started: ' + started);`;
    fs.writeFileSync(path.join(dir, 'large-app.js'), program);
    const threaded = run(process.execPath, ['large-app.js', 'large/threaded'], dir, { env: { CDK8S_ISTIO_TIMINGS: '1' } }).output;
    expect(threaded).toContain('threads started: 1\n');
    // the worker did the dumping (the checks of 2,050 documents outlast its start)
    const [, byThread] = /YAML \(waiting for the thread, which dumped (\d+) of them\)/.exec(threaded) ?? [];
    expect(Number(byThread)).toBeGreaterThan(0);
    const off = { CDK8S_ISTIO_WORKERS: 'off' };
    expect(run(process.execPath, ['large-app.js', 'large/one-thread'], dir, { env: off }).output).toBe('threads started: 0\n');
    const files = (folder: string) => fs.readdirSync(path.join(dir, 'large', folder)).sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, 'large', folder, f), 'utf8')]);
    const written = files('threaded');
    expect(written).toHaveLength(50);
    expect(written.map(([, text]) => text.split('\n---\n').length).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(2000);
    expect(written).toEqual(files('one-thread'));
  }, 120_000);

  test('CEL rules run on the package\'s CEL bundle (build/cel.js), not on the ~130 files of @bufbuild/cel and @bufbuild/protobuf', () => {
    // an AuthorizationPolicy with both a selector and targetRefs breaks a CEL rule of its CRD
    const program = `const { ApiObject, App, Chart } = require('cdk8s');
const { writeManifests } = require(process.argv[3] || 'cdk8s-istio');
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const targetRefs = process.argv[2] === 'broken' ? [{ kind: 'Service', group: '', name: 'orders' }] : undefined;
new ApiObject(chart, 'policy', { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'orders' },
  spec: { selector: { matchLabels: { app: 'orders' } }, targetRefs, action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }] } });
try {
  writeManifests(app, { outdir: 'cel/' + process.argv[2] });
  console.log('written');
} catch (e) {
  console.log(e.message);
}
console.log('@bufbuild files loaded: ' + Object.keys(require.cache).filter(f => f.includes('@bufbuild')).length);`;
    fs.writeFileSync(path.join(dir, 'cel-app.js'), program);
    const installed = path.join(dir, 'node_modules', 'cdk8s-istio');
    // the bundle opens with the notices of what it holds: each package, its licence and copyright lines, the licence texts
    const notices = fs.readFileSync(path.join(installed, 'build', 'cel.js'), 'utf8').split('*/')[0];
    for (const text of ['@bufbuild/cel@0.6.1, licence Apache-2.0', '@bufbuild/protobuf@2.17.0, licence (Apache-2.0 AND BSD-3-Clause)',
      'Copyright 2008 Google Inc.', 'Neither the name of the copyright holder', '@bufbuild/re2@0.6.1, licence MIT', 'Permission is hereby granted']) {
      expect(notices).toContain(text);
    }
    const refused = 'Schema validation error: spec: only one of targetRefs or selector can be set. '
      + 'Fix: change the value so that the CRD\'s validation rule holds. [spec, construct shop/policy]';
    for (const env of [{}, { CDK8S_ISTIO_CACHE: 'off' }]) {
      // stdout, then the analyzers' warnings (no workload carries the selector's labels) on stderr
      expect(run(process.execPath, ['cel-app.js', 'valid'], dir, { env }).output).toMatch(/^written\n@bufbuild files loaded: 0\nWarning \[IST0127\]/);
      const broken = run(process.execPath, ['cel-app.js', 'broken'], dir, { env }).output;
      expect(broken).toContain(refused);
      expect(broken).toContain('@bufbuild files loaded: 0\n');
    }
    // a deep import (file by file, as a bundler of the consumer's would take it) runs the rules on the modules,
    // and never a cel.js that happens to lie beside it (no verdict cache: every rule runs)
    fs.writeFileSync(path.join(installed, 'build', 'lib', 'analysis', 'schema', 'cel.js'), 'throw new Error("not the package\'s CEL bundle");\n');
    const deep = run(process.execPath, ['cel-app.js', 'broken', 'cdk8s-istio/build/lib/index.js'], dir, { env: { CDK8S_ISTIO_CACHE: 'off' } }).output;
    expect(deep).toContain(refused);
    expect(deep).not.toContain('@bufbuild files loaded: 0\n');
  }, 120_000);

  test('a changed CEL bundle never reuses the verdicts or app findings of the one before: they are kept under a digest of both bundles', () => {
    const cache = path.join(dir, 'node_modules', '.cache', 'cdk8s-istio');
    const stores = (pattern: RegExp) => (fs.existsSync(cache) ? fs.readdirSync(cache).filter(f => pattern.test(f)).sort() : []);
    const verdictFiles = () => stores(/^verdicts-.*\.json$/);
    const findingFolders = () => stores(/^analyses-/);
    for (const store of [...verdictFiles(), ...findingFolders()]) fs.rmSync(path.join(cache, store), { recursive: true });
    // the app of the test before: an AuthorizationPolicy, whose CRD has CEL rules
    run(process.execPath, ['cel-app.js', 'valid'], dir);
    const before = [...verdictFiles(), ...findingFolders()];
    expect(before).toEqual([expect.stringMatching(/^verdicts-/), expect.stringMatching(/^analyses-/)]);
    const bundle = path.join(dir, 'node_modules', 'cdk8s-istio', 'build', 'cel.js');
    fs.appendFileSync(bundle, `// another build of the CEL environment (${Date.now()})\n`);
    run(process.execPath, ['cel-app.js', 'valid'], dir);
    expect(verdictFiles()).toHaveLength(2);
    expect(findingFolders()).toHaveLength(2);
    expect([...verdictFiles(), ...findingFolders()]).toEqual(expect.arrayContaining(before));
  }, 60_000);

  test('an app the consumer bundles with esbuild, the package inside it, writes what the app writes unbundled', () => {
    // a bundler cannot follow the package's main to its own bundle (a computed path): the library's modules go in instead
    const program = `const { App, Chart } = require('cdk8s');
const { MeshNamespace, MeshService, writeManifests } = require('cdk8s-istio');
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
new MeshNamespace(chart, 'shop');
const orders = new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'example/orders:1' } } });
orders.allowFrom(new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'example/web:1' } } }));
writeManifests(app, { outdir: process.argv[2] });
console.log('written');`;
    fs.writeFileSync(path.join(dir, 'bundle-app.js'), program);
    const esbuild = path.join(ROOT, 'node_modules', 'esbuild');
    run(process.execPath, ['-e', `require(${JSON.stringify(esbuild)}).buildSync({ entryPoints: ['bundle-app.js'], outfile: 'bundled/app.js', `
      + 'bundle: true, platform: \'node\', logLevel: \'error\' })'], dir);
    // the library's modules are in the consumer's bundle (esbuild names each bundled file in a comment)
    expect(fs.readFileSync(path.join(dir, 'bundled', 'app.js'), 'utf8')).toContain('node_modules/cdk8s-istio/build/lib/workload/mesh-service.js');
    const files = (folder: string) => fs.readdirSync(path.join(dir, folder)).sort().map((f) => [f, fs.readFileSync(path.join(dir, folder, f), 'utf8')]);
    const bundled = run(process.execPath, ['bundled/app.js', 'from-bundle'], dir).output;
    expect(bundled).toMatch(/^written\n/);
    expect(bundled).toBe(run(process.execPath, ['bundle-app.js', 'unbundled'], dir).output);
    expect(files('from-bundle')).toEqual(files('unbundled'));
    expect(files('from-bundle').map(([f]) => f)).toEqual(['shop.yaml']);
  }, 60_000);

  test('unknown kinds pass through the installed package: written, no crash, CDK0001 once per apiVersion/kind', () => {
    const env = { CDK8S_ISTIO_MODULE: 'cdk8s-istio' };
    const { output } = run(process.execPath, ['unknown-kinds/app.js', 'unknown-kinds/out'], dir, { env });
    expect(output).not.toMatch(/ERR_|\n\s+at /);
    expect([...output.matchAll(/\[CDK0001\]/g)]).toHaveLength(5);
    expect(fs.readFileSync(path.join(dir, 'unknown-kinds', 'out', 'shop.yaml'), 'utf8')).toContain('kind: ScaledObject');
  }, 120_000);
});
