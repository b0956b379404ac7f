import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `-` reads the manifests from the standard input, as in `kubectl apply -f -` and `istioctl analyze -`
 * (`helm template . | cdk8s-istio analyze -`): the real command in a child process, its input piped.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-istio.js');

function cli(args: string[], input: string | Buffer, env: NodeJS.ProcessEnv = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
`;
const ROUTE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v9}
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-stdin-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('analyze - finds in piped manifests what it finds in the file, at the line of the input', () => {
  const text = `${SERVICE}---\n${ROUTE}`;
  const file = path.join(dir, 'shop.yaml');
  fs.writeFileSync(file, text);
  const piped = cli(['analyze', '-', '-o', 'json'], text);
  const fromFile = cli(['analyze', file, '-o', 'json'], '');
  expect(piped.status).toBe(1);
  const findings = JSON.parse(piped.out) as { code: string; resource: { source: { file: string; line: number } } }[];
  expect(findings.map(f => [f.code, f.resource.source])).toEqual([['IST0101', { file: '<stdin>', line: 8 }]]);
  const named = (out: string) => out.split(file).join('<stdin>');
  expect(piped.out).toBe(named(fromFile.out));
});

test('- mixes with files and folders, and reads the same on two threads as on one', () => {
  const folder = path.join(dir, 'routes');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'route.yaml'), ROUTE);
  const oneThread = cli(['analyze', folder, '-'], SERVICE, { CDK8S_ISTIO_WORKERS: 'off' });
  const twoThreads = cli(['analyze', folder, '-'], SERVICE, { CDK8S_ISTIO_WORKERS: '1' });
  expect(oneThread.status).toBe(1);
  expect(oneThread.out).toMatch(/IST0101.*VirtualService shop\/reviews/);
  expect(twoThreads).toEqual(oneThread);
});

test('bad piped input is exit 2 naming <stdin> and the line: bad YAML, not UTF-8, nothing in it', () => {
  expect(cli(['analyze', '-'], `${SERVICE}---\nkind: [\n`)).toEqual({
    status: 2, out: '', err: expect.stringMatching(/^Error: <stdin>:9:1: invalid YAML: /),
  });
  expect(cli(['analyze', '-'], Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a]))).toEqual({
    status: 2, out: '', err: expect.stringMatching(/^Error: <stdin>:1: not UTF-8 text \(byte 0xff at offset 3\)/),
  });
  expect(cli(['analyze', '-'], '# only a comment\n---\n')).toEqual({
    status: 2, out: '', err: 'Error: <stdin>: no Kubernetes objects (empty, or only comments and separators)\n',
  });
});

test('the standard input is read once: - twice is exit 2 with the fix, in analyze and in plan', () => {
  expect(cli(['analyze', '-', '-'], SERVICE)).toEqual({
    status: 2, out: '', err: 'Error: - (the standard input) is given twice: it can be read once. Fix: give it once\n',
  });
  const plan = cli(['plan', '-', '-'], SERVICE);
  expect(plan.status).toBe(2);
  expect(plan.err).toMatch(/^<old> and <new> are both - \(the standard input, which can be read once\)\nUsage: cdk8s-istio plan/);
});

test('plan - <new> takes the old side from the standard input (the previous commit of an app)', () => {
  const next = path.join(dir, 'next');
  fs.mkdirSync(next);
  fs.writeFileSync(path.join(next, 'shop.yaml'), SERVICE);
  const unchanged = cli(['plan', '-', next], SERVICE);
  expect(unchanged).toEqual({ status: 0, out: 'No changes (1 objects unchanged).\n', err: '' });
  const first = cli(['plan', '-', next, '-o', 'json'], '');
  expect(first.status).toBe(0);
  expect(JSON.stringify(JSON.parse(first.out))).toMatch(/"kind":"Service".*"name":"reviews"/);
});

test('graph - and test - read the manifests from the standard input; --cases - is a path, not the input', () => {
  const out = path.join(dir, 'mesh.html');
  const graph = cli(['graph', '-', '-o', out], SERVICE);
  expect(graph).toEqual({ status: 0, out: `Wrote ${out}: 1 namespace(s), 1 service(s), 0 edge(s).\n`, err: '' });
  const cases = path.join(dir, 'cases.yaml');
  fs.writeFileSync(cases, 'testCases:\n- description: reviews\n  request: {authority: [reviews.shop.svc.cluster.local], method: [GET], uri: [/]}\n'
    + '  route: [{destination: {host: reviews}}]\n  wantMatch: true\n');
  const routed = `${SERVICE}---\n${ROUTE.replace(', subset: v9', '')}`;
  expect(cli(['test', '-', '--cases', cases], routed)).toMatchObject({ status: 0, out: expect.stringMatching(/reviews/) });
  const dashCases = cli(['test', path.join(dir, 'shop.yaml'), '--cases', '-'], '');
  expect(dashCases.status).toBe(2);
  expect(dashCases.err).toMatch(/^Error: -: /);
});
