import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as analysisModule from '../../lib/analysis/analyze';
import { main } from '../../lib/cli/main';
import { temporaryFolder } from '../support/temporary-folders';

const ROOT = path.resolve(__dirname, '..', '..');
const BROKEN = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v9}
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
`;

function run(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

function tempDir(files: Record<string, string>): string {
  const dir = temporaryFolder('cdk8s-istio-cli-');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('cdk8s-istio analyze', () => {
  test('exit 0 and a clean message for every bundled app in dist/', () => {
    for (const app of fs.readdirSync(path.join(ROOT, 'dist'))) {
      const result = run('analyze', path.join(ROOT, 'dist', app));
      expect({ app, code: result.code, out: result.out }).toEqual({ app, code: 0, out: expect.stringMatching(/^✔ No validation issues found when analyzing \d+ resources\.\n$/) });
    }
  });

  test('exit 1 with each error: code, resource, message, field and file:line', () => {
    const dir = tempDir({ 'svc.yaml': SERVICE, 'vs.yaml': `# the route\n---\n${BROKEN}` });
    const result = run('analyze', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Error [IST0101] (VirtualService shop/reviews) Referenced host+subset in destinationrule not found: "reviews+v9"');
    expect(result.out).toContain(`[spec.http[0].route[0].destination.subset, ${path.join(dir, 'vs.yaml')}:3]`);
    expect(result.out).not.toContain('host not found');
  });

  test('--output json prints the messages as an array', () => {
    const dir = tempDir({ 'all.yaml': `${SERVICE}---\n${BROKEN}` });
    const result = run('analyze', dir, '--output', 'json');
    expect(result.code).toBe(1);
    const messages = JSON.parse(result.out);
    expect(messages).toEqual([expect.objectContaining({
      code: 'IST0101',
      name: 'ReferencedResourceNotFound',
      level: 'Error',
      field: 'spec.http[0].route[0].destination.subset',
      resource: expect.objectContaining({ kind: 'VirtualService', name: 'reviews', namespace: 'shop', source: { file: path.join(dir, 'all.yaml'), line: 10 } }),
    })]);
  });

  test('warnings alone exit 0', () => {
    const dir = tempDir({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled, istio.io/rev: canary}\n' });
    const result = run('analyze', dir);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Warning [IST0123]');
  });

  test('directories are read like kubectl apply -f: subfolders only with --recursive', () => {
    const dir = tempDir({ 'svc.yaml': SERVICE, 'more/vs.yaml': BROKEN, 'README.md': '# not a manifest' });
    expect(run('analyze', dir).code).toBe(0);
    expect(run('analyze', dir, '--recursive').code).toBe(1);
  });

  test('cdk8s synth\'s construct-metadata.json in a folder is not read, and said so; named as a file, it is read', () => {
    const metadata = JSON.stringify({ version: '1.0.0', resources: { 'shop/reviews': { path: 'shop/reviews' } } });
    const dir = tempDir({ 'shop.k8s.yaml': SERVICE, 'construct-metadata.json': metadata });
    expect(run('analyze', dir)).toEqual({
      code: 0,
      out: '✔ No validation issues found when analyzing 1 resources.\n',
      err: `Note: not read: ${path.join(dir, 'construct-metadata.json')} (cdk8s's construct metadata, not Kubernetes objects)\n`,
    });
    const named = run('analyze', path.join(dir, 'construct-metadata.json'));
    expect(named.code).toBe(2);
    expect(named.err).toMatch(/construct-metadata\.json:1: not a Kubernetes object/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('documents are read as kubectl reads them: a List\'s items, `---` inside a block scalar, a document on the separator line', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: reviews, namespace: shop}\n  spec:\n    selector: {app: reviews}\n    ports: [{name: http, port: 9080}]\n';
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes, namespace: shop}\ndata:\n  text: |\n    a\n    ---\n    b\n';
    const dir = tempDir({ 'all.yaml': `${list}---\n${configMap}--- {apiVersion: v1, kind: ServiceAccount, metadata: {name: x, namespace: shop}}\n` });
    const result = run('analyze', dir, '--output', 'json');
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(run('analyze', dir).out).toBe('✔ No validation issues found when analyzing 3 resources.\n');
  });

  test('bad YAML exits 2 with the file and line, without a stack trace', () => {
    const dir = tempDir({ 'bad.yaml': `${SERVICE}---\nspec: [unclosed\n` });
    const result = run('analyze', path.join(dir, 'bad.yaml'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(new RegExp(`^Error: ${path.join(dir, 'bad.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:11:1: invalid YAML: `));
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  test('a folder without manifests exits 2 and suggests --recursive', () => {
    const dir = tempDir({ 'apps/svc.yaml': SERVICE });
    expect(run('analyze', dir)).toMatchObject({ code: 2, err: `Error: no .yaml, .yml or .json files in ${dir} (subfolders are read with --recursive)\n` });
    expect(run('analyze', dir, '-R').code).toBe(0);
  });

  test('a missing path, a document without kind, no arguments and an unknown flag exit 2', () => {
    expect(run('analyze', '/nonexistent/path.yaml')).toMatchObject({ code: 2, err: 'Error: /nonexistent/path.yaml: no such file or directory\n' });
    const dir = tempDir({ 'x.yaml': 'foo: bar\n' });
    expect(run('analyze', dir)).toMatchObject({ code: 2, err: `Error: ${path.join(dir, 'x.yaml')}:1: not a Kubernetes object (no kind)\n` });
    expect(run('analyze').code).toBe(2);
    expect(run('analyze', dir, '--bogus').code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
  });

  test('npx cdk8s-istio analyze runs the bin in a source checkout and sets the exit code', () => {
    const dir = tempDir({ 'all.yaml': `${SERVICE}---\n${BROKEN}` });
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'analyze', dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('[IST0101]');
  }, 30_000);

  test('the command loads neither cdk8s nor constructs, and runs CEL rules from its CEL bundle (analyze, graph, plan, test)', () => {
    // an AuthorizationPolicy breaking a CEL rule of its CRD (a selector and targetRefs)
    const policy = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: reviews, namespace: shop}\n'
      + 'spec:\n  selector: {matchLabels: {app: reviews}}\n  targetRefs: [{kind: Service, group: "", name: reviews}]\n';
    const dir = tempDir({ 'all.yaml': `${SERVICE}---\n${policy}`, 'cases.yaml': 'cases: []\n' });
    // a preload that prints, at exit, the packages under node_modules the process loaded
    const preload = path.join(dir, 'packages.js');
    fs.writeFileSync(preload, `process.on('exit', () => process.stderr.write('packages: ' + JSON.stringify([...new Set(Object.keys(require.cache)
      .map(f => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(f)?.[1]).filter(Boolean))].sort()) + '\\n'));`);
    const manifests = path.join(dir, 'all.yaml');
    const commands = [['analyze', manifests], ['graph', manifests, '--out', path.join(dir, 'graph.html')], ['plan', manifests, manifests],
      ['test', manifests, '--cases', path.join(dir, 'cases.yaml')]];
    const runs = [...commands.map(args => ({ args, env: process.env })), { args: commands[0], env: { ...process.env, CDK8S_ISTIO_CACHE: 'off' } }];
    for (const { args, env } of runs) {
      const result = spawnSync(process.execPath, ['-r', preload, path.join(ROOT, 'bin', 'cdk8s-istio.js'), ...args], { encoding: 'utf8', env });
      if (args[0] === 'analyze') {
        expect(result.status).toBe(1);
        expect(result.stdout).toContain('only one of targetRefs or selector can be set');
      }
      const packages: string[] = JSON.parse(/packages: (.*)/.exec(result.stderr)![1]);
      const unwanted = packages.filter(p => ['cdk8s', 'cdk8s-plus-28', 'constructs'].includes(p) || p.startsWith('@bufbuild/'));
      expect({ args, unwanted }).toEqual({ args, unwanted: [] });
      expect(packages).toContain('js-yaml');
    }
  }, 30_000);
});

describe('an internal error (a bug, not the input)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.CDK8S_ISTIO_DEBUG;
  });

  test('exits 3 with one line naming the error and how to report it; the stack only with CDK8S_ISTIO_DEBUG=1', () => {
    jest.spyOn(analysisModule, 'analyze').mockImplementation(() => {
      throw new TypeError('boom');
    });
    const dir = tempDir({ 'svc.yaml': SERVICE });
    const result = run('analyze', dir);
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/^cdk8s-istio: internal error: TypeError: boom\. This is a bug in cdk8s-istio, not a problem of your input: /);
    expect(result.err).toContain('CDK8S_ISTIO_DEBUG=1 prints the stack trace');
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
    process.env.CDK8S_ISTIO_DEBUG = '1';
    expect(run('analyze', dir).err).toMatch(/\n\s+at /);
  });
});

test('CDK8S_ISTIO_TIMINGS=1 adds how long reading and analysis took, on stderr only', () => {
  const dir = tempDir({ 'all.yaml': `${SERVICE}---\n${BROKEN}` });
  process.env.CDK8S_ISTIO_TIMINGS = '1';
  try {
    const result = run('analyze', dir);
    expect(result.err).toMatch(/^Timings: read 2 objects in \d+\.\d\d s, analyzed them in \d+\.\d\d s\n$/);
    expect(result.out).toContain('[IST0101]');
  } finally {
    delete process.env.CDK8S_ISTIO_TIMINGS;
  }
});

test('output written in batches is the same as one JSON.stringify (2,500 findings, json and text)', () => {
  // Each VirtualService routes to its own host, which is missing, as is its subset: two IST0101
  // findings apiece. One shared host would add a message per VirtualService naming all the others, an
  // output (and a run time) quadratic in their number.
  const documents = Array.from({ length: 1250 }, (_, i) => BROKEN.replace(/reviews/g, `r${i}`));
  const dir = tempDir({ 'many.yaml': documents.join('---\n') });
  const json = run('analyze', dir, '--output', 'json');
  const messages = JSON.parse(json.out);
  expect(messages.length).toBeGreaterThan(2000);
  expect(json.out).toBe(`${JSON.stringify(messages, null, 2)}\n`);
  const text = run('analyze', dir).out;
  expect(text.split('\n')).toHaveLength(messages.length + 1);
});
