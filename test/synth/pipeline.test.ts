import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { MeshNamespace, MeshService, SynthesisError, VirtualService, synthesize, writeManifests } from '../../lib';
import { temporaryFolder, testApp } from '../support/temporary-folders';

const ROOT = path.resolve(__dirname, '..', '..');

/** An app of three charts whose only finding is one KIA1104 warning (a lone destination weighted 50). */
function warningApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' } } });
  new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(50)] }] });
  for (const id of ['more', 'even-more']) new ApiObject(new Chart(app, id, { namespace: 'shop' }), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id } });
  return app;
}

/** Runs `fn` and returns the lines it printed to stderr. */
function stderrOf(fn: () => unknown): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('the synth pipeline', () => {
  test('app.synth() analyzes once per synthesis, however many charts cdk8s renders', () => {
    const outdir = temporaryFolder('pipeline-');
    const printed = stderrOf(() => warningApp(outdir).synth());
    expect(printed.filter(l => l.includes('[KIA1104]'))).toHaveLength(1);
    expect(fs.readdirSync(outdir).sort()).toEqual(['even-more.k8s.yaml', 'more.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('writeManifests and synthesize() return the same findings app.synth() prints', () => {
    const outdir = temporaryFolder('pipeline-');
    let written: string[] = [];
    stderrOf(() => { written = writeManifests(warningApp(), { outdir }).messages.map(m => m.code); });
    expect(written).toEqual(['KIA1104']);
    expect(synthesize(warningApp()).messages.map(m => m.code)).toEqual(['KIA1104']);
  });

  test('Testing.synth() of a chart runs the same checks: a document its schema rejects fails', () => {
    const app = testApp();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 'eighty' }] } });
    expect(() => Testing.synth(chart)).toThrow(/\[IST0106\] \(Service shop\/bad\) Schema validation error: spec\.ports\[0\]\.port: .*construct shop\/bad/);
  });

  test('a schema error in a library-rendered object patched through an escape hatch fails before anything is written', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' } } });
    svc.service!.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 'eighty'));
    const outdir = temporaryFolder('pipeline-');
    let error: unknown;
    stderrOf(() => { try { writeManifests(app, { outdir }); } catch (e) { error = e; } });
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as Error).message).toMatch(/\[IST0106\] \(Service shop\/api\) Schema validation error: spec\.ports\[0\]\.port: .*construct shop\/api/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('construct validation problems are reported once by app.synth(), in cdk8s\'s own format', () => {
    const app = new App({ outdir: temporaryFolder('pipeline-') });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'example/api:1' } } });
    new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v9')] }] });
    expect(() => Testing.synth(chart)).toThrow(/^Validation failed with the following errors:\n {2}\[shop\/vs\] shop\/vs: http\[0\]\.route\[0\]\.destination\.subset: "v9" is not a version[^\n]*$/);
  });
});

describe('an uncaught synthesis error, as Node prints it (the bundle in a child process)', () => {
  test.each([
    ['writeManifests(app)', 'writeManifests(app, { outdir: OUT });'],
    ['app.synth()', 'app.synth();'],
    ['app.synthYaml()', 'app.synthYaml();'],
  ])('%s: the problems once, then the caller\'s own line: no frames of the pipeline, no repeated problems list', (_, call) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-uncaught-'));
    const program = path.join(dir, 'main.js');
    fs.writeFileSync(program, `const { App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});
const { MeshService, VirtualService, writeManifests } = require(${JSON.stringify(path.join(ROOT, 'build', 'cdk8s-istio.js'))});
const OUT = ${JSON.stringify(path.join(dir, 'out'))};
const app = new App({ outdir: OUT });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const orders = new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'example/orders:1' } } });
new VirtualService(chart, 'orders-route', { hosts: [orders], http: [{ to: [orders.version('v3')] }] });
${call}
`);
    try {
      const run = spawnSync(process.execPath, [program], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      const printed = run.stderr.slice(run.stderr.indexOf('SynthesisError'));
      expect(printed.split('\n').slice(0, 3)).toEqual([
        'SynthesisError: Synthesis failed with 1 problem(s):',
        expect.stringMatching(/^ {2}- shop\/orders-route: http\[0\]\.route\[0\]\.destination\.subset: "v3" is not a version .*Fix: /),
        `    at Object.<anonymous> (${program}:8:${call.startsWith('app.') ? 5 : 1})`, // the column of the method's name
      ]);
      expect(run.stderr).not.toMatch(/problems:|at runSteps|at synthesize/);
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CDK8S_ISTIO_TIMINGS=1', () => {
  afterEach(() => {
    delete process.env.CDK8S_ISTIO_TIMINGS;
  });

  test('the synth prints how long each step took on stderr, before its findings; without it, nothing more', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-timings-'));
    try {
      const quiet = stderrOf(() => writeManifests(warningApp(), { outdir }));
      process.env.CDK8S_ISTIO_TIMINGS = '1';
      const timed = stderrOf(() => writeManifests(warningApp(), { outdir }));
      expect(timed.slice(1)).toEqual(quiet);
      expect(timed[0]).toMatch(
        /^Synth timings \(8 documents\): validate \d+\.\d\d s, render \d+\.\d\d s, identities \d+\.\d\d s, check and analyze \d+\.\d\d s, YAML \d+\.\d\d s\n$/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
