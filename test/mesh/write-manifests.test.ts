import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  Destination, Gateway, GatewayProtocol, MeshNamespace, MeshService, VirtualService, writeManifests,
} from '../../lib';
import { newApp } from '../support/constructs';
import { testApp } from '../support/temporary-folders';

let outdir: string;

beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-manifests-'));
});

afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** A small valid app: a `mesh` chart with the namespace and gateway, a `shop` chart with a service and its routes. */
function buildApp(): App {
  const app = newApp();
  const mesh = new Chart(app, 'mesh');
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(mesh, 'shop');
  const gateway = new Gateway(mesh, 'public', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
  const web = new MeshService(shop, 'web', { port: 8080, versions: { v1: { image: 'web:1' }, v2: { image: 'web:2' } } });
  new VirtualService(shop, 'web-routes', { name: 'web', hosts: ['*'], gateways: [gateway], http: [{ to: [web.version('v1').withWeight(90), web.version('v2').withWeight(10)] }] });
  return app;
}

/** Every file under `dir`, relative and sorted. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

function kindsAndNames(file: string): string[] {
  return yaml.loadAll(fs.readFileSync(file, 'utf8')).map((d: any) => `${d.kind}/${d.metadata.name}`);
}

describe('writeManifests', () => {
  test('writes one <chart id>.yaml per chart by default and returns the files sorted', () => {
    const files = writeManifests(buildApp(), { outdir }).files;
    expect(files).toEqual(['mesh.yaml', 'shop.yaml']);
    expect(listFiles(outdir)).toEqual(['mesh.yaml', 'shop.yaml']);
    expect(kindsAndNames(path.join(outdir, 'mesh.yaml'))).toEqual(['Namespace/shop', 'Gateway/public']);
    expect(kindsAndNames(path.join(outdir, 'shop.yaml'))).toEqual(expect.arrayContaining([
      'Service/web', 'ServiceAccount/web', 'Deployment/web-v1', 'Deployment/web-v2', 'DestinationRule/web', 'VirtualService/web',
    ]));
    expect(kindsAndNames(path.join(outdir, 'shop.yaml'))).toHaveLength(6);
  });

  test('documents are separated by --- and round-trip to what the chart renders', () => {
    const app = buildApp();
    writeManifests(app, { outdir });
    const text = fs.readFileSync(path.join(outdir, 'mesh.yaml'), 'utf8');
    expect(text.split('\n').filter(l => l === '---')).toHaveLength(1);
    const shop = app.charts.find(c => c.node.id === 'shop')!;
    expect(yaml.loadAll(fs.readFileSync(path.join(outdir, 'shop.yaml'), 'utf8'))).toEqual(shop.toJson());
  });

  test('a custom fileOf writes into subfolders, and charts mapped to one file share it in chart order', () => {
    const app = buildApp();
    new Chart(app, 'extra', { namespace: 'shop' }); // a third chart, mapped to the same file as shop
    new MeshService(app.charts.find(c => c.node.id === 'extra')!, 'api', { port: 9090, versions: { v1: { image: 'api:1' } } });
    const files = writeManifests(app, { outdir, fileOf: chart => `${chart.namespace ?? 'cluster'}/resources.yaml` }).files;
    expect(files).toEqual(['cluster/resources.yaml', 'shop/resources.yaml']);
    expect(listFiles(outdir)).toEqual(files);
    const shopDocs = kindsAndNames(path.join(outdir, 'shop', 'resources.yaml'));
    expect(shopDocs.indexOf('VirtualService/web')).toBeLessThan(shopDocs.indexOf('Service/api'));
    expect(shopDocs).toHaveLength(6 + 3);
  });

  test('a chart id with a path in it is written as the file cdk8s names it, inside outdir', () => {
    const app = testApp();
    new MeshNamespace(new Chart(app, '../x', { namespace: 'shop' }), 'shop');
    expect(writeManifests(app, { outdir }).files).toEqual(['..--x.yaml']);
    expect(listFiles(outdir)).toEqual(['..--x.yaml']);
  });

  test('empties the output folder first', () => {
    fs.mkdirSync(path.join(outdir, 'old'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'old', 'stale.yaml'), 'kind: Stale\n');
    fs.writeFileSync(path.join(outdir, 'removed-chart.yaml'), 'kind: Stale\n');
    writeManifests(buildApp(), { outdir });
    expect(listFiles(outdir)).toEqual(['mesh.yaml', 'shop.yaml']);
  });

  test('creates an output folder that does not exist yet', () => {
    const nested = path.join(outdir, 'a', 'b');
    writeManifests(buildApp(), { outdir: nested });
    expect(listFiles(nested)).toEqual(['mesh.yaml', 'shop.yaml']);
  });

  test('output is byte-identical across two runs (and two builds of the app)', () => {
    const second = path.join(outdir, 'second');
    const first = path.join(outdir, 'first');
    writeManifests(buildApp(), { outdir: first });
    writeManifests(buildApp(), { outdir: second });
    const app = buildApp();
    const third = path.join(outdir, 'third');
    writeManifests(app, { outdir: third });
    writeManifests(app, { outdir: third });
    for (const file of ['mesh.yaml', 'shop.yaml']) {
      const bytes = fs.readFileSync(path.join(first, file));
      expect(fs.readFileSync(path.join(second, file)).equals(bytes)).toBe(true);
      expect(fs.readFileSync(path.join(third, file)).equals(bytes)).toBe(true);
    }
  });

  test('a validation problem throws before any file is written, listing every problem', () => {
    fs.writeFileSync(path.join(outdir, 'previous.yaml'), 'kind: Previous\n');
    const app = buildApp();
    const shop = app.charts.find(c => c.node.id === 'shop')!;
    const web = shop.node.findChild('web') as MeshService;
    new VirtualService(shop, 'broken', {
      hosts: [web],
      http: [
        { to: [web.version('v3')] },
        { to: [Destination.toHost('api.example.com', { subset: 'eu' })] },
      ],
    });
    const api = new MeshService(shop, 'api', { ports: [{ port: 8080 }, { port: 9090 }], versions: { v1: { image: 'api:1' } } });
    new VirtualService(shop, 'api-routes', { hosts: [api], http: [{ to: [api.version('v1')] }] });

    let message = '';
    try {
      writeManifests(app, { outdir });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Synthesis failed with 3 problem\(s\):\n/);
    const lines = message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ {2}- shop\/broken: http\[0\]\.route\[0\]\.destination\.subset: "v3" is not a version .*\. Fix: /);
    expect(lines[1]).toMatch(/^ {2}- shop\/broken: http\[1\]\.route\[0\]\.destination\.subset: no DestinationRule for host "api\.example\.com" .*\. Fix: /);
    expect(lines[2]).toMatch(/^ {2}- shop\/api-routes: http\[0\]\.route\[0\]\.destination\.port\.number: .*IST0112.*\. Fix: /);
    // Nothing was written and nothing was removed.
    expect(listFiles(outdir)).toEqual(['previous.yaml']);
  });

  test('problems from other validators are prefixed with their construct path', () => {
    const app = buildApp();
    const shop = app.charts.find(c => c.node.id === 'shop')!;
    shop.node.addValidation({ validate: () => ['custom policy violated'] });
    expect(() => writeManifests(app, { outdir })).toThrow('  - shop: custom policy violated');
    expect(listFiles(outdir)).toEqual([]);
  });

  test('a gateway without servers fails before any file is written', () => {
    fs.writeFileSync(path.join(outdir, 'previous.yaml'), 'kind: Previous\n');
    const app = buildApp();
    new Gateway(app.charts[0], 'empty');
    expect(() => writeManifests(app, { outdir })).toThrow(/mesh\/empty: servers: the gateway has no servers\. Fix: /);
    expect(listFiles(outdir)).toEqual(['previous.yaml']);
  });
});

describe('writeManifests output is atomic', () => {
  test('a failing synthesis leaves the previous output exactly as it was', () => {
    writeManifests(buildApp(), { outdir });
    const before = fs.readdirSync(outdir).map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]);
    const broken = buildApp();
    new VirtualService(Chart.of(broken.node.findChild('shop')), 'empty', { hosts: ['x.example.com'] });
    expect(() => writeManifests(broken, { outdir })).toThrow(/shop\/empty: http: the VirtualService has no routes/);
    expect(fs.readdirSync(outdir).map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')])).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir)).filter(f => f.startsWith(`.${path.basename(outdir)}.new-`))).toEqual([]);
  });

  test('two charts whose files nest (a.yaml and a.yaml/b.yaml) fail naming both charts, and nothing is written', () => {
    const fileOf = (c: Chart) => (c.node.id === 'mesh' ? 'a.yaml' : 'a.yaml/b.yaml');
    expect(() => writeManifests(buildApp(), { outdir, fileOf })).toThrow(
      'shop: fileOf: "a.yaml/b.yaml" needs a folder "a.yaml", which is the file of chart mesh. Fix: map the two charts to paths that do not nest');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test.each(['.', '..', process.cwd()])('outdir %p (the current folder or a parent) is refused', dir => {
    expect(() => writeManifests(buildApp(), { outdir: dir })).toThrow(/^writeManifests: outdir: ".*" is the current directory or one of its parents.*Fix: give the app a folder of its own/);
  });

  test.each(['/', `${os.tmpdir()}/..`])('outdir %p (the root of the file system) is refused', dir => {
    expect(() => writeManifests(buildApp(), { outdir: dir })).toThrow(/^writeManifests: outdir: ".*" is the root of the file system, which writeManifests would replace\. Fix: /);
  });

  test.each([[''], [undefined], [42], [null]])('outdir %p is refused as not a folder path, before anything is written', dir => {
    expect(() => writeManifests(buildApp(), { outdir: dir as unknown as string })).toThrow(/^writeManifests: outdir: must be the path of a folder, not .*\. Fix: /);
    expect(() => writeManifests(buildApp(), undefined as unknown as { outdir: string })).toThrow(/^writeManifests: outdir: must be the path of a folder, not undefined/);
  });

  test('an outdir that cannot be made (under /proc, where a recursive mkdir never returns) fails with the path, promptly', () => {
    expect(() => writeManifests(buildApp(), { outdir: '/proc/cdk8s-istio-out/app' }))
      .toThrow(/^writeManifests: outdir: could not write \/proc\/cdk8s-istio-out\/app \(ENOENT.*Fix: check that the folder/);
  });

  test('an outdir that is an existing file is refused, and the file is kept', () => {
    const file = path.join(outdir, 'notes.txt');
    fs.writeFileSync(file, 'mine\n');
    expect(() => writeManifests(buildApp(), { outdir: file })).toThrow(/outdir: ".*notes\.txt" is an existing file, not a folder.*Fix: /);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine\n');
  });

  test('two charts whose files differ only in case fail naming both charts (one file on macOS and Windows)', () => {
    const fileOf = (c: Chart) => (c.node.id === 'mesh' ? 'App.yaml' : 'app.yaml');
    expect(() => writeManifests(buildApp(), { outdir, fileOf })).toThrow(
      /fileOf: "app\.yaml" differs from "App\.yaml" \(the file of chart mesh\) only in case.*Fix: /);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  /** Each file's inode and modification time, and the folder's inode. */
  const identities = (dir: string) => [fs.statSync(dir).ino, ...listFiles(dir).map(f => {
    const stat = fs.statSync(path.join(dir, f));
    return [f, stat.ino, stat.mtimeMs];
  })];
  const contents = (dir: string) => listFiles(dir).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);

  test('synthesizing the same app again leaves the folder untouched: the same files, inodes and modification times', () => {
    writeManifests(buildApp(), { outdir, kustomization: true });
    const before = identities(outdir);
    expect(writeManifests(buildApp(), { outdir, kustomization: true }).files).toEqual(['mesh.yaml', 'shop.yaml', 'Kustomization']);
    expect(identities(outdir)).toEqual(before);
  });

  test('one changed file: the folder is replaced, with the new text and the unchanged files\' bytes', () => {
    writeManifests(buildApp(), { outdir });
    const changed = buildApp();
    new MeshService(changed.charts[1], 'cart', { port: 8080, versions: { v1: { image: 'cart:1' } } });
    const fresh = path.join(outdir, '..', `${path.basename(outdir)}-fresh`);
    try {
      writeManifests(changed, { outdir: fresh });
      const before = fs.statSync(outdir).ino;
      writeManifests(changed, { outdir });
      expect(fs.statSync(outdir).ino).not.toBe(before);
      expect(contents(outdir)).toEqual(contents(fresh));
      expect(fs.readFileSync(path.join(outdir, 'shop.yaml'), 'utf8')).toContain('cart');
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('a file of the same size with other bytes is rewritten; a stale file or an empty folder is removed', () => {
    writeManifests(buildApp(), { outdir });
    const expected = contents(outdir);
    const mesh = path.join(outdir, 'mesh.yaml');
    fs.writeFileSync(mesh, fs.readFileSync(mesh, 'utf8').replace('kind:', 'kinD:'));
    writeManifests(buildApp(), { outdir });
    expect(contents(outdir)).toEqual(expected);
    fs.writeFileSync(path.join(outdir, 'stale.yaml'), 'kind: Stale\n');
    writeManifests(buildApp(), { outdir });
    expect(contents(outdir)).toEqual(expected);
    fs.mkdirSync(path.join(outdir, 'empty'));
    writeManifests(buildApp(), { outdir });
    expect(fs.readdirSync(outdir).sort()).toEqual(['mesh.yaml', 'shop.yaml']);
    expect(fs.readdirSync(path.dirname(outdir)).filter(f => f.startsWith(`.${path.basename(outdir)}.new-`))).toEqual([]);
  });

  test('an outdir holding what writeManifests never writes (a project: .git, package.json, sources) is refused, untouched', () => {
    const files = ['.git/HEAD', 'package.json', 'src/main.ts', 'notes/README.md', 'kustomization.yaml', 'a.yaml', 'b.yaml', 'c.yml'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(outdir, f)), { recursive: true });
      fs.writeFileSync(path.join(outdir, f), `${f}\n`);
    }
    fs.symlinkSync('/etc/hostname', path.join(outdir, 'link.yaml'));
    const before = identities(outdir);
    expect(() => writeManifests(buildApp(), { outdir })).toThrow(new RegExp(
      `^writeManifests: outdir: "${outdir}" holds what writeManifests never writes \\(\\.git/HEAD, c\\.yml, link\\.yaml, notes/README\\.md, `
      + 'package\\.json and 1 more\\), which replacing the folder would delete\\. Fix: give the app a folder of its own, new or holding only '
      + 'its earlier output \\(\\.yaml files and Kustomization\\).* or move those files out$'));
    expect(identities(outdir)).toEqual(before);
    expect(fs.readlinkSync(path.join(outdir, 'link.yaml'))).toBe('/etc/hostname');
  });

  test('an outdir holding earlier output, empty folders and Finder\'s .DS_Store is replaced', () => {
    for (const f of ['old.yaml', 'overlay/old.yaml', 'Kustomization', '.DS_Store', 'overlay/.DS_Store']) {
      fs.mkdirSync(path.dirname(path.join(outdir, f)), { recursive: true });
      fs.writeFileSync(path.join(outdir, f), 'kind: Old\n');
    }
    fs.mkdirSync(path.join(outdir, 'empty'));
    writeManifests(buildApp(), { outdir });
    expect(fs.readdirSync(outdir).sort()).toEqual(['mesh.yaml', 'shop.yaml']);
  });

  test('the written folder has the mode the umask gives a new folder (not a temporary folder\'s 0700)', () => {
    const target = path.join(outdir, 'app');
    const plain = path.join(outdir, 'plain');
    fs.mkdirSync(plain);
    writeManifests(buildApp(), { outdir: target });
    const permissions = (dir: string) => (fs.statSync(dir).mode % 0o1000).toString(8);
    expect(permissions(target)).toBe(permissions(plain));
  });
});

describe('destinations are values', () => {
  test('svc.version() alone emits no DestinationRule; adding a route that uses it does', () => {
    const app = newApp();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'web:1' } } });
    const v1 = web.version('v1');
    const kinds = () => chart.toJson().map(d => d.kind);
    expect(kinds()).not.toContain('DestinationRule');
    new VirtualService(chart, 'web-route', { hosts: [web], http: [{ to: [v1] }] });
    expect(chart.toJson().filter(d => d.kind === 'DestinationRule').map(d => d.spec.subsets.map((s: { name: string }) => s.name))).toEqual([['v1']]);
  });
});
