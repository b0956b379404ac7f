import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { MeshNamespace, MeshService, SynthesisError, VirtualService, synthesize } from '../../lib';
import { KEPT_CODE_DIGESTS } from '../../lib/analysis/analysis-cache';

/** An app whose only finding is one KIA1104 warning (a lone destination weighted 50); `image` is the workload's. */
function warningApp(image = 'example/api:1'): App {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const svc = new MeshService(chart, 'api', { port: 8080, versions: { v1: { image } } });
  new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(50)] }] });
  return app;
}

/** A project folder with a node_modules folder, the cache's home; the test runs in it. */
function inProject<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-analyses-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn(dir);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cacheDir = (dir: string) => path.join(dir, 'node_modules', '.cache', 'cdk8s-istio');
const analysisFolders = (dir: string) => fs.readdirSync(cacheDir(dir)).filter(f => f.startsWith('analyses-'));
/** The apps' findings files of the project's one code digest. */
const entries = (dir: string) => {
  const folders = fs.existsSync(cacheDir(dir)) ? analysisFolders(dir) : [];
  return folders.flatMap(folder => fs.readdirSync(path.join(cacheDir(dir), folder)).map(f => path.join(cacheDir(dir), folder, f)));
};

/** Runs `fn` with stderr silenced (the synth prints its warnings). */
function quietly<T>(fn: () => T): T {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

const codes = (app: App) => quietly(() => synthesize(app).messages.map(m => `${m.code} ${m.resource.name}`));

describe('the analysis cache of the synth', () => {
  test('keeps the findings of an app that passed, and gives them back for the same documents without analyzing', () => inProject(dir => {
    expect(codes(warningApp())).toEqual(['KIA1104 vs']);
    const [file] = entries(dir);
    expect(entries(dir)).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).analyzed.map((m: { code: string }) => m.code)).toEqual(['KIA1104']);
    // A finding planted in the file is what the cache says for those documents: proof that the analyzers did not run.
    const planted = { code: 'IST0102', name: 'NamespaceNotInjected', level: 'Info', message: 'planted', resource: { kind: 'Namespace', name: 'shop' } };
    fs.writeFileSync(file, JSON.stringify({ checked: [], analyzed: [planted] }));
    expect(codes(warningApp())).toEqual(['IST0102 shop']);
  }));

  test('a changed document is checked and analyzed again, under a key of its own', () => inProject(dir => {
    codes(warningApp());
    const [file] = entries(dir);
    fs.writeFileSync(file, JSON.stringify({ checked: [], analyzed: [] }));
    expect(codes(warningApp('example/api:2'))).toEqual(['KIA1104 vs']);
    expect(entries(dir)).toHaveLength(2);
  }));

  test('an app that fails is not kept: every synthesis of it fails with the same problems', () => inProject(dir => {
    const failing = () => {
      const app = warningApp();
      new ApiObject(Chart.of(app.node.findChild('shop')), 'bad', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' }, spec: { ports: [{ port: 'eighty' }] } });
      return app;
    };
    const problems = () => {
      try {
        quietly(() => synthesize(failing()));
      } catch (e) {
        return e instanceof SynthesisError ? e.problems : e;
      }
      return 'passed';
    };
    const first = problems();
    expect(first).toEqual([expect.stringMatching(/\[IST0106\] \(Service shop\/bad\) Schema validation error: spec\.ports\[0\]\.port/)]);
    expect(entries(dir)).toEqual([]);
    expect(problems()).toEqual(first);
  }));

  test('an Error finding found in the file still fails the synthesis', () => inProject(dir => {
    codes(warningApp());
    const planted = { code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error', message: 'planted', resource: { kind: 'VirtualService', name: 'vs' } };
    fs.writeFileSync(entries(dir)[0], JSON.stringify({ checked: [], analyzed: [planted] }));
    expect(() => quietly(() => synthesize(warningApp()))).toThrow(/\[IST0101\] \(VirtualService vs\) planted/);
  }));

  test('a damaged file counts as missing: the app is analyzed again and the file written anew', () => inProject(dir => {
    codes(warningApp());
    const [file] = entries(dir);
    fs.writeFileSync(file, '{"checked": [');
    expect(codes(warningApp())).toEqual(['KIA1104 vs']);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).analyzed).toHaveLength(1);
  }));

  test('CDK8S_ISTIO_CACHE=off keeps nothing', () => inProject(dir => {
    process.env.CDK8S_ISTIO_CACHE = 'off';
    try {
      expect(codes(warningApp())).toEqual(['KIA1104 vs']);
    } finally {
      delete process.env.CDK8S_ISTIO_CACHE;
    }
    expect(entries(dir)).toEqual([]);
  }));

  test(`only the ${KEPT_CODE_DIGESTS} most recently written code digests are kept`, () => inProject(dir => {
    fs.mkdirSync(cacheDir(dir), { recursive: true });
    const old = Array.from({ length: KEPT_CODE_DIGESTS }, (_, i) => `analyses-old${i}`);
    old.forEach((name, i) => {
      fs.mkdirSync(path.join(cacheDir(dir), name));
      const when = new Date(Date.now() - (i + 1) * 60_000);
      fs.utimesSync(path.join(cacheDir(dir), name), when, when);
    });
    codes(warningApp());
    const kept = analysisFolders(dir);
    expect(kept).toHaveLength(KEPT_CODE_DIGESTS);
    expect(kept).not.toContain(old[old.length - 1]);
  }));
});
