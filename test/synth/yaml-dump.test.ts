import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { generatedMesh } from '../../bench/generated-mesh';
import { writeManifests } from '../../lib';
import { WORKERS_VARIABLE } from '../../lib/core/worker-setting';
import { THREAD_MIN_DOCUMENTS, documentYaml, keptByJson, startYamlDump } from '../../lib/synth/yaml-dump';

/**
 * A large app's YAML is dumped on a worker thread while the checks run: the files must be the same
 * bytes as the calling thread writes, a failed synthesis must neither hang nor write, and
 * `CDK8S_ISTIO_WORKERS=off` keeps everything on one thread.
 */

/** Generated mesh documents: 7.1 per service, so 300 services make more than THREAD_MIN_DOCUMENTS. */
const SERVICES = 300;

/** Every file under `dir` (relative paths, sorted) with its bytes. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

/** Runs `fn` with CDK8S_ISTIO_WORKERS set to `value` (or unset). */
function withWorkers<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env[WORKERS_VARIABLE];
  if (value === undefined) delete process.env[WORKERS_VARIABLE];
  else process.env[WORKERS_VARIABLE] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env[WORKERS_VARIABLE];
    else process.env[WORKERS_VARIABLE] = saved;
  }
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-yaml-dump-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('startYamlDump', () => {
  const docs = Array.from({ length: THREAD_MIN_DOCUMENTS }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `settings-${i}`, labels: { 'app.kubernetes.io/name': 'shop' } },
    data: { port: '8080', yes: 'yes', empty: '', multi: 'line one\nline two\n', date: '2026-12-02', number: 1.5e300, when: null },
    // values a JSON text would lose: the thread must write them as this thread does
    odd: { minusZero: -0, notANumber: NaN, infinite: -Infinity, when: new Date(0) },
  }));

  test('from THREAD_MIN_DOCUMENTS documents the worker dumps them, the same text as this thread, in order', () => {
    const pending = startYamlDump(docs, {});
    expect(pending.threaded).toBe(true);
    // this thread busy for a while, as with the checks: the worker claims every chunk meanwhile
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
    expect(pending.texts()).toEqual(docs.map(documentYaml));
    expect(pending.byThread).toBe(docs.length);
    expect(pending.asJson).toBe(false); // -0, NaN, a Date: sent as structured clones
  });

  test('documents JSON keeps as they are go to the worker as JSON texts, the same text as this thread', () => {
    const plainDocs = docs.map(({ odd, ...doc }) => ({ ...doc, list: [1, 'two', { three: [true, null] }] }));
    const json = startYamlDump(plainDocs, {});
    expect(json.asJson).toBe(true);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    expect(json.texts()).toEqual(plainDocs.map(documentYaml));
    expect(json.byThread).toBeGreaterThan(0);
    const lastChanged = [...plainDocs.slice(1), { ...plainDocs[0], data: { deep: [{ value: -0 }] } }];
    expect(startYamlDump(lastChanged, {}).asJson).toBe(false);
  });

  test('keptByJson: only values JSON.parse(JSON.stringify()) gives back as js-yaml writes them', () => {
    expect([['a', 1, 1.5e300, -1, true, null], { a: { b: [0] } }, {}].every(keptByJson)).toBe(true);
    const nullPrototype = Object.assign(Object.create(null), { a: 1 });
    // eslint-disable-next-line no-sparse-arrays
    /** An array that JSON writes as one string, and js-yaml as a list. */
    class Joined extends Array<string> {
      public toJSON(): string {
        return this.join(',');
      }
    }
    const withToJson = Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'other', enumerable: false });
    const changed = [-0, NaN, Infinity, -Infinity, new Date(0), [undefined], [1, , 2], { a: undefined }, nullPrototype, () => 1, 1n,
      Symbol('s'), Joined.from(['a', 'b']), withToJson];
    expect(changed.filter(value => keptByJson({ deep: [{ value }] }))).toEqual([]);
  });

  test('asked at once, before the worker could start, this thread dumps the chunks itself: the same text', () => {
    const pending = startYamlDump(docs, {});
    expect(pending.texts()).toEqual(docs.map(documentYaml));
    expect(pending.byThread).toBeLessThan(docs.length);
  });

  test('fewer documents, or CDK8S_ISTIO_WORKERS=off (or 0), dump on this thread', () => {
    expect(startYamlDump(docs.slice(1), {}).threaded).toBe(false);
    for (const setting of ['off', '0']) {
      const pending = startYamlDump(docs, { [WORKERS_VARIABLE]: setting });
      expect(pending.threaded).toBe(false);
      expect(pending.texts()).toEqual(docs.map(documentYaml));
    }
  });

  test('documents that cannot be sent to a thread (a Symbol) are dumped here, which reports the error js-yaml gives', () => {
    const odd = [...docs.slice(1), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'odd' }, data: { a: Symbol('x') } }];
    const pending = startYamlDump(odd, {});
    expect(pending.threaded).toBe(false);
    expect(() => pending.texts()).toThrow(/unacceptable kind of an object to dump/);
  });
});

describe('writeManifests of a large app', () => {
  test(`${SERVICES} generated services (over ${THREAD_MIN_DOCUMENTS} documents) write the same bytes with and without the thread`, () => {
    const app = generatedMesh(SERVICES);
    const count = app.node.findAll().filter(c => c instanceof ApiObject).length;
    expect(count).toBeGreaterThanOrEqual(THREAD_MIN_DOCUMENTS);
    withWorkers(undefined, () => writeManifests(app, { outdir: path.join(dir, 'threaded') }));
    withWorkers('off', () => writeManifests(generatedMesh(SERVICES), { outdir: path.join(dir, 'one-thread') }));
    const threaded = filesOf(path.join(dir, 'threaded'));
    expect(Object.keys(threaded)).toHaveLength(SERVICES / 10);
    expect(threaded).toEqual(filesOf(path.join(dir, 'one-thread')));
  }, 60_000);

  test('app.synth() writes the same bytes with and without the thread', () => {
    const synthInto = (outdir: string, workers: string | undefined) => withWorkers(workers, () => {
      const app = generatedMesh(SERVICES);
      Object.defineProperty(app, 'outdir', { value: outdir });
      app.synth();
    });
    synthInto(path.join(dir, 'app-threaded'), undefined);
    synthInto(path.join(dir, 'app-one-thread'), 'off');
    expect(filesOf(path.join(dir, 'app-threaded'))).toEqual(filesOf(path.join(dir, 'app-one-thread')));
  }, 60_000);

  test('a synthesis that fails after the dump started throws its problems and writes nothing', () => {
    const app = generatedMesh(SERVICES);
    const chart = app.node.findChild('team-0');
    new ApiObject(chart, 'broken', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'broken' }, spec: { hosts: 7 } });
    const outdir = path.join(dir, 'failed');
    expect(() => writeManifests(app, { outdir })).toThrow(/team-0\/broken.*spec\.hosts/);
    expect(fs.existsSync(outdir)).toBe(false);
  }, 60_000);
});

describe('a worker that cannot dump', () => {
  test('a worker killed at its start (a preload that throws in worker threads): the same files, exit 0, nothing on stderr', () => {
    const preload = path.join(dir, 'no-workers.js');
    fs.writeFileSync(preload, "if (!require('worker_threads').isMainThread) throw new Error('no workers here');\n");
    const program = path.join(dir, 'large-app.js');
    fs.writeFileSync(program, `const { App, Chart, ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});
const { writeManifests } = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'build', 'cdk8s-istio.js'))});
const app = new App();
const chart = new Chart(app, 'config', { namespace: 'shop' });
for (let i = 0; i < ${THREAD_MIN_DOCUMENTS + 100}; i++) {
  new ApiObject(chart, 'cm-' + i, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-' + i }, data: { i: String(i) } });
}
writeManifests(app, { outdir: process.argv[2] });
`);
    const run = (outdir: string, env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [program, outdir], {
      encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..'), env: { ...process.env, ...env }, timeout: 60_000,
    });
    const killed = run(path.join(dir, 'killed'), { NODE_OPTIONS: `--require ${preload}` });
    expect({ status: killed.status, stderr: killed.stderr }).toEqual({ status: 0, stderr: '' });
    const timed = run(path.join(dir, 'killed-timed'), { NODE_OPTIONS: `--require ${preload}`, CDK8S_ISTIO_TIMINGS: '1' });
    expect(timed.stderr).toMatch(/YAML \(waiting for the thread, which dumped 0 of them\)/);
    const oneThread = run(path.join(dir, 'killed-off'), { [WORKERS_VARIABLE]: 'off' });
    expect(oneThread.status).toBe(0);
    expect(filesOf(path.join(dir, 'killed'))).toEqual(filesOf(path.join(dir, 'killed-off')));
  }, 120_000);

  test('an app with an object rendering itself (toJson() overridden) keeps the dump on one thread: a clone would lose its values\' classes', () => {
    /** A Date whose ISO text is its own: js-yaml writes what toISOString says, a clone (a plain Date) would not. */
    class Stamp extends Date {
      public toISOString(): string {
        return 'custom';
      }
    }
    class Stamped extends ApiObject {
      public toJson(): any {
        return { apiVersion: 'example.com/v1', kind: 'Stamped', metadata: { name: 'stamped' }, spec: { at: new Stamp(0) } };
      }
    }
    const app = generatedMesh(SERVICES);
    new Stamped(app.node.findChild('team-0') as Chart, 'stamped', { apiVersion: 'example.com/v1', kind: 'Stamped' });
    withWorkers(undefined, () => writeManifests(app, { outdir: path.join(dir, 'stamped') }));
    expect(fs.readFileSync(path.join(dir, 'stamped', 'team-0.yaml'), 'utf8')).toContain('at: custom');
  }, 60_000);
});
