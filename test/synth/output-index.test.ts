import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { MeshNamespace, MeshService, writeManifests } from '../../lib';
import { TIMESTAMP_SLACK_MS } from '../../lib/synth/output-index';

/** An app of two charts (two files); `image` is the api workload's. */
function shopApp(image = 'example/api:1'): App {
  const app = new App();
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(shop, 'shop');
  new MeshService(shop, 'api', { port: 8080, versions: { v1: { image } } });
  const web = new Chart(app, 'web', { namespace: 'web' });
  new MeshNamespace(web, 'web');
  new MeshService(web, 'site', { port: 8080, versions: { v1: { image: 'example/site:1' } } });
  return app;
}

/** A project folder with a node_modules folder, the cache's home; the test runs in it, writing into `dist/`. */
function inProject<T>(fn: (outdir: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-outputs-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn(path.join(dir, 'dist'), dir);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const write = (outdir: string, app = shopApp()) => writeManifests(app, { outdir });
const read = (outdir: string, file: string) => fs.readFileSync(path.join(outdir, file), 'utf8');

/** Replaces `file`'s text with other text of the same size, its modification time (and inode) kept: only its bytes tell. */
function tamper(outdir: string, file: string): void {
  const target = path.join(outdir, file);
  const { atime, mtime } = fs.statSync(target);
  fs.writeFileSync(target, read(outdir, file).replace('example/api:1', 'example/api:X'));
  fs.utimesSync(target, atime, mtime);
}

/** Sets a file's modification time well before now, as a file written some time ago has. */
function age(outdir: string, file: string): void {
  const then = new Date(Date.now() - 10 * TIMESTAMP_SLACK_MS);
  fs.utimesSync(path.join(outdir, file), then, then);
}

describe('the output index of writeManifests', () => {
  test('a file with its documents unchanged, written a while ago, is known from its status alone: neither dumped nor read', () => inProject(outdir => {
    write(outdir);
    age(outdir, 'shop.yaml');
    write(outdir); // compares the aged file byte for byte, and records its status
    tamper(outdir, 'shop.yaml');
    write(outdir);
    // what only a byte comparison would tell, the index does not: proof that the file was not read (as git's index)
    expect(read(outdir, 'shop.yaml')).toContain('example/api:X');
  }));

  test('a file edited by hand (its size or modification time changed) is written again', () => inProject(outdir => {
    write(outdir);
    age(outdir, 'shop.yaml');
    write(outdir);
    const expected = read(outdir, 'shop.yaml');
    fs.appendFileSync(path.join(outdir, 'shop.yaml'), '# a note\n');
    write(outdir);
    expect(read(outdir, 'shop.yaml')).toBe(expected);
    tamper(outdir, 'shop.yaml');
    fs.utimesSync(path.join(outdir, 'shop.yaml'), new Date(), new Date(Date.now() - 5 * TIMESTAMP_SLACK_MS));
    write(outdir);
    expect(read(outdir, 'shop.yaml')).toBe(expected);
  }));

  test('a file changed within the clock tick of its recording is compared byte for byte', () => inProject(outdir => {
    write(outdir);
    const expected = read(outdir, 'shop.yaml');
    tamper(outdir, 'shop.yaml'); // same size and time as the recorded write: only the bytes tell
    write(outdir);
    expect(read(outdir, 'shop.yaml')).toBe(expected);
  }));

  test('a changed document rewrites its file, and the others stay as they were', () => inProject(outdir => {
    write(outdir);
    age(outdir, 'shop.yaml');
    age(outdir, 'web.yaml');
    write(outdir);
    const web = fs.statSync(path.join(outdir, 'web.yaml'));
    write(outdir, shopApp('example/api:2'));
    expect(read(outdir, 'shop.yaml')).toContain('example/api:2');
    expect(read(outdir, 'web.yaml')).toContain('example/site:1');
    // the folder was swapped in anew, the unchanged file copied over
    expect(fs.statSync(path.join(outdir, 'web.yaml')).ino).not.toBe(web.ino);
  }));

  test('a damaged index knows nothing, and CDK8S_ISTIO_CACHE=off keeps none: every file is compared', () => inProject((outdir, dir) => {
    write(outdir);
    age(outdir, 'shop.yaml');
    write(outdir);
    const expected = read(outdir, 'shop.yaml');
    const indexes = path.join(dir, 'node_modules', '.cache', 'cdk8s-istio', 'outputs');
    const [index] = fs.readdirSync(indexes);
    fs.writeFileSync(path.join(indexes, index), '{"recordedAt": ');
    tamper(outdir, 'shop.yaml');
    write(outdir);
    expect(read(outdir, 'shop.yaml')).toBe(expected);
    fs.rmSync(indexes, { recursive: true });
    process.env.CDK8S_ISTIO_CACHE = 'off';
    try {
      write(outdir);
      tamper(outdir, 'shop.yaml');
      write(outdir);
    } finally {
      delete process.env.CDK8S_ISTIO_CACHE;
    }
    expect(read(outdir, 'shop.yaml')).toBe(expected);
    expect(fs.existsSync(indexes)).toBe(false);
  }));
});
