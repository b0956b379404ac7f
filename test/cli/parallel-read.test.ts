import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { PARALLEL_MIN_BYTES, WORKERS_VARIABLE, readerThreads } from '../../lib/cli/parallel-read';

/** Files whose findings exercise what crosses threads: aliases, non-finite numbers, -0, schema errors, CEL rules, overrides. */
const FILES: Record<string, string> = {
  'a-mesh.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v9}}], timeout: 0.5ms}]
`,
  'b-odd-values.yaml': `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  trafficPolicy: {portLevelSettings: [{port: {number: .inf}}, {port: {number: -0}}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: shared, namespace: shop}
data:
  a: &value hello
  b: *value
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: reviews, namespace: shop}
- apiVersion: example.com/v1
  kind: Widget
  metadata: {name: w, namespace: shop}
`,
  'c-override.yaml': `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: web, port: 9080}]}
`,
};

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-parallel-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

/** The CLI's exit code and output with a given number of reading workers. */
function analyzeWith(workers: string, ...args: string[]): { code: number; out: string; err: string } {
  const saved = process.env[WORKERS_VARIABLE];
  process.env[WORKERS_VARIABLE] = workers;
  let out = '';
  let err = '';
  try {
    const code = main(['analyze', ...args], { out: t => { out += t; }, err: t => { err += t; } });
    return { code, out, err };
  } finally {
    if (saved === undefined) delete process.env[WORKERS_VARIABLE];
    else process.env[WORKERS_VARIABLE] = saved;
  }
}

describe('reading files in worker threads', () => {
  const dir = tempDir(FILES);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('finds exactly what one thread finds: the same messages in the same order, lines and exit code', () => {
    const alone = analyzeWith('off', dir, '--output', 'json');
    expect(alone.code).toBe(1);
    const messages = JSON.parse(alone.out) as { code: string; resource: { source?: { file: string; line: number } } }[];
    expect(messages.map(m => m.code)).toEqual(expect.arrayContaining(['IST0106', 'CDK0001']));
    expect(messages.some(m => m.resource.source?.file.endsWith('b-odd-values.yaml') && m.resource.source.line === 1)).toBe(true);
    for (const workers of ['1', '2']) expect(analyzeWith(workers, dir, '--output', 'json')).toEqual(alone);
  });

  test('reports the input error of the first bad file, as one thread does', () => {
    const bad = tempDir({ ...FILES, 'b-odd-values.yaml': 'kind: [unclosed\n', 'c-override.yaml': 'apiVersion: v1\n' });
    try {
      const alone = analyzeWith('off', bad);
      expect(alone.code).toBe(2);
      expect(alone.err).toContain('b-odd-values.yaml:2:1: invalid YAML');
      expect(analyzeWith('2', bad)).toEqual(alone);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe('readerThreads', () => {
  const files = ['a.yaml', 'b.yaml', 'c.yaml'];

  test('keeps small input in one thread', () => {
    expect(readerThreads(files, PARALLEL_MIN_BYTES - 1, {})).toBe(0);
  });

  test('uses fewer workers than files, whatever is asked', () => {
    expect(readerThreads(files, PARALLEL_MIN_BYTES * 4, {})).toBeLessThan(files.length);
    expect(readerThreads(files, 0, { [WORKERS_VARIABLE]: '8' })).toBe(2);
    expect(readerThreads(['one.yaml'], PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: '8' })).toBe(0);
  });

  test('is turned off by CDK8S_ISTIO_WORKERS=off or 0', () => {
    expect(readerThreads(files, PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: 'off' })).toBe(0);
    expect(readerThreads(files, PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: '0' })).toBe(0);
  });
});
