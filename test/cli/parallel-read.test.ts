import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_DEPTH, readManifestRange, readManifests } from '../../lib/analysis/read-manifests';
import { validateDocument } from '../../lib/analysis/schema';
import { main } from '../../lib/cli/main';
import { PARALLEL_MIN_BYTES, WORKERS_VARIABLE, readInParallel, readerThreads } from '../../lib/cli/parallel-read';
import { decodeUnit, encodeUnit } from '../../lib/cli/read-result';
import { PART_BYTES, readUnits } from '../../lib/cli/read-units';

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

describe('reading parts of large files', () => {
  /** A mesh of `count` services, one YAML stream: comments, a List, aliases and a directive between documents. */
  function stream(count: number): string {
    const docs = Array.from({ length: count }, (_, i) => (i % 97 === 5
      ? `# service ${i}\n%YAML 1.2\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: sa${i}, namespace: shop}}\n`
      : `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs${i}\n  namespace: shop\n`
        + `  labels: {team: &team t${i % 7}, owner: *team}\nspec:\n  hosts: [svc${i}]\n`
        + `  http: [{route: [{destination: {host: svc${i}, subset: v${i % 3}}}], timeout: ${i % 11 === 0 ? '0.5ms' : '5s'}}]\n`));
    return docs.map((doc, i) => (i % 97 === 5 ? doc : `---\n${doc}`)).join('');
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-parts-'));
  const file = path.join(dir, 'mesh.yaml');
  fs.writeFileSync(file, stream(3000));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The message of the error a one-thread read of `manifest` throws. */
  const oneThreadError = (manifest: string): string => {
    try {
      readManifests(manifest);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error(`${manifest} reads without an error`);
  };

  /** What one thread reads: every object with its line and schema violations. */
  const alone = () => readManifests(file).map(({ doc, source }) => ({ doc, source, violations: validateDocument(doc) }));

  test('cuts a file at document starts, never after a directive, into parts that cover it exactly', () => {
    const text = fs.readFileSync(file, 'utf8');
    const units = readUnits([file], 16 * 1024);
    expect(units.length).toBeGreaterThan(10);
    expect(units[0].range!.start).toBe(0);
    expect(units[units.length - 1].range!.end).toBe(Buffer.byteLength(text));
    units.slice(1).forEach((unit, k) => {
      expect(unit.range!.start).toBe(units[k].range!.end);
      expect(text.slice(unit.range!.start, unit.range!.start + 4)).toBe('---\n');
      const before = text.slice(0, unit.range!.start - 1);
      expect(before.slice(before.lastIndexOf('\n') + 1)).not.toMatch(/^%/);
    });
  });

  test('never cuts after a directive line, wherever the even cuts and the 64 KiB search windows fall', () => {
    const directed = (n: number) => `%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm${n}}\n`;
    const plain = (n: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: end${n}}\n`;
    let cuts = 0;
    for (let pad = 0; pad < 80; pad++) {
      const text = `# ${'.'.repeat(pad)}\n${Array.from({ length: 2000 }, (_, n) => directed(n)).join('')}${Array.from({ length: 5 }, (_, n) => plain(n)).join('')}`;
      const padded = path.join(dir, 'directed.yaml');
      fs.writeFileSync(padded, text);
      for (const unit of readUnits([padded], 20 * 1024).slice(1)) {
        const before = text.slice(0, unit.range!.start - 1);
        expect(before.slice(before.lastIndexOf('\n') + 1)).not.toMatch(/^%/);
        cuts++;
      }
    }
    expect(cuts).toBeGreaterThan(0);
  });

  test('reads a file again whole when it grew after it was cut; a part of a file rewritten at the same size is refused', () => {
    const changing = path.join(dir, 'changing.yaml');
    const text = stream(400);
    fs.writeFileSync(changing, text);
    const units = readUnits([changing], 4096);
    expect(units.length).toBeGreaterThan(2);
    fs.appendFileSync(changing, '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: appended, namespace: shop}\n');
    expect(readInParallel(units, 1).map(i => i.doc.metadata.name)).toEqual(readManifests(changing).map(i => i.doc.metadata.name));
    fs.writeFileSync(changing, text);
    const [first] = readUnits([changing], 4096);
    fs.utimesSync(changing, new Date(), new Date(Date.now() + 5000)); // the same size, rewritten
    expect(() => readManifestRange(changing, first.range!)).toThrow(`${changing}: changed while it was read`);
  });

  test('reads a file of 160,000 objects again whole without overflowing the stack', () => {
    const many = path.join(dir, 'many.yaml');
    const list = `apiVersion: v1\nkind: List\nitems:\n${'- {apiVersion: v1, kind: A}\n'.repeat(80_000)}`;
    fs.writeFileSync(many, `${list}---\n${list}`);
    const units = readUnits([many], 512 * 1024);
    expect(units.length).toBe(2);
    fs.utimesSync(many, new Date(), new Date(Date.now() + 5000)); // the parts now fail: the file is read again whole
    expect(readInParallel(units, 1).length).toBe(160_000);
  });

  test('refuses a document nested more than 1,000 levels on every thread alike', () => {
    const nested = (levels: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    const ok = path.join(dir, 'nested-ok.yaml');
    fs.writeFileSync(ok, nested(MAX_DEPTH));
    expect(readManifests(ok)).toHaveLength(1);
    fs.writeFileSync(ok, nested(MAX_DEPTH + 1)); // well within what the parser itself reads on this thread
    expect(() => readManifests(ok)).toThrow(/nested-ok\.yaml:1: the YAML document is nested too deeply to read \(more than 1000 levels\)/);
    const deep = path.join(dir, 'deep.yaml');
    const text = stream(1000);
    const at = text.indexOf('---\napiVersion', Math.floor(text.length * 0.9));
    fs.writeFileSync(deep, `${text.slice(0, at)}---\n${nested(3000)}${text.slice(at)}`);
    const message = oneThreadError(deep);
    expect(message).toMatch(/deep\.yaml:\d+: the YAML document is nested too deeply to read \(more than 1000 levels\)/);
    expect(() => readInParallel(readUnits([deep], 8 * 1024), 1)).toThrow(message);
  });

  test('keeps small files, folders and missing files whole', () => {
    expect(readUnits([file])).toEqual([{ file }]);
    expect(readUnits([dir, path.join(dir, 'missing.yaml')], 16)).toEqual([{ file: dir }, { file: path.join(dir, 'missing.yaml') }]);
  });

  test('reads the same objects, lines and verdicts from parts on two threads as one thread does from the file', () => {
    const parallel = readInParallel(readUnits([file], 16 * 1024), 1);
    const expected = alone();
    expect(parallel.length).toBe(expected.length);
    expect(parallel.map(i => i.source)).toEqual(expected.map(i => i.source));
    expect(parallel.map(i => i.doc)).toEqual(expected.map(i => i.doc));
    expect(parallel.map(i => i.violations)).toEqual(expected.map(i => i.violations));
    expect(expected.some(i => i.violations.length > 0)).toBe(true);
  });

  test('a worker\'s message of each part carries its objects, verdicts and line breaks (as the main thread decodes them)', () => {
    let lineBreaks = 0;
    const decoded = readUnits([file], 16 * 1024).flatMap((unit, index) => {
      const message = structuredClone(encodeUnit(unit, index));
      if ('failure' in message) throw new Error(message.message);
      const inputs = decodeUnit(file, message).map(i => ({ ...i, source: { file, line: i.source!.line + lineBreaks } }));
      lineBreaks += message.lineBreaks;
      return inputs;
    });
    const expected = alone();
    expect(decoded.map(i => i.source)).toEqual(expected.map(i => i.source));
    expect(decoded.map(i => i.doc)).toEqual(expected.map(i => i.doc));
    expect(decoded.map(i => i.violations)).toEqual(expected.map(i => i.violations));
  });

  test('reports a bad document in a late part with the line one thread reports', () => {
    const bad = path.join(dir, 'bad.yaml');
    const text = stream(3000);
    const at = text.indexOf('name: vs2900');
    fs.writeFileSync(bad, `${text.slice(0, at)}name: [vs2900\n${text.slice(at + 'name: vs2900'.length)}`);
    const message = oneThreadError(bad);
    expect(message).toMatch(/bad\.yaml:\d{5}:\d+: invalid YAML/);
    expect(() => readInParallel(readUnits([bad], 16 * 1024), 1)).toThrow(message);
  });

  test('the command finds in one large file on two threads what it finds on one', () => {
    const large = path.join(dir, 'large.yaml');
    const perService = stream(1000).length / 1000;
    fs.writeFileSync(large, stream(Math.ceil((2 * PART_BYTES + 32 * 1024) / perService)));
    expect(readUnits([large]).length).toBe(2);
    const one = analyzeWith('off', large, '--output', 'json');
    const messages = JSON.parse(one.out) as { resource: { source: { line: number } } }[];
    expect(Math.max(...messages.map(m => m.resource.source.line))).toBeGreaterThan(50_000);
    expect(analyzeWith('1', large, '--output', 'json')).toEqual(one);
  });
});

describe('readerThreads', () => {
  test('keeps small input in one thread', () => {
    expect(readerThreads(3, PARALLEL_MIN_BYTES - 1, {})).toBe(0);
  });

  test('uses fewer workers than units read, and at most two per core, whatever is asked', () => {
    expect(readerThreads(300, 0, { [WORKERS_VARIABLE]: '1000' })).toBe(2 * os.availableParallelism());
    expect(readerThreads(3, PARALLEL_MIN_BYTES * 4, {})).toBeLessThan(3);
    expect(readerThreads(3, 0, { [WORKERS_VARIABLE]: '8' })).toBe(2);
    expect(readerThreads(1, PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: '8' })).toBe(0);
  });

  test('is turned off by CDK8S_ISTIO_WORKERS=off or 0', () => {
    expect(readerThreads(3, PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: 'off' })).toBe(0);
    expect(readerThreads(3, PARALLEL_MIN_BYTES * 4, { [WORKERS_VARIABLE]: '0' })).toBe(0);
  });
});
