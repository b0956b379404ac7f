import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { validateDocument, withVerdictCache } from '../../lib/analysis/schema';
import { KEPT_DIGESTS, MAX_ENTRIES, VerdictCache } from '../../lib/analysis/schema/verdict-cache';
import { cacheFolder } from '../../lib/core/code-cache';

const gateway = (name: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
});

/** A project folder with a node_modules folder, the cache's home; the test runs in it. */
function inProject<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-verdicts-'));
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

/** The one store file of the project (after a first synthesis wrote it). */
const storeFile = (dir: string) => path.join(dir, 'node_modules', '.cache', 'cdk8s-istio', cacheFiles(dir)[0]);
const storedKeys = (file: string) => Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).documents);

const cacheFiles = (dir: string) => fs.readdirSync(path.join(dir, 'node_modules', '.cache', 'cdk8s-istio')).filter(f => f.startsWith('verdicts-'));

describe('the verdict cache of the synth', () => {
  test('gives the same verdicts as no cache, from a new cache and from a written one', () => inProject(dir => {
    const docs = [gateway('shop-gateway'), gateway('shop.gateway'), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }];
    const expected = docs.map(validateDocument);
    expect(expected[1].map(v => v.path)).toContain('metadata.name');
    expect(withVerdictCache(() => docs.map(validateDocument))).toEqual(expected);
    expect(cacheFiles(dir)).toHaveLength(1);
    expect(withVerdictCache(() => docs.map(validateDocument))).toEqual(expected);
  }));

  test('answers from the file for a document of the same content, and checks a changed one anew', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const [name] = cacheFiles(dir);
    const file = path.join(dir, 'node_modules', '.cache', 'cdk8s-istio', name);
    const store = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [key] = Object.keys(store.documents);
    // A verdict planted in the file is what the cache says for that content: proof that the validator did not run.
    const planted = { apiVersion: 'x', kind: 'y', name: 'z', path: 'spec', message: 'planted', source: 'schema' };
    fs.writeFileSync(file, JSON.stringify({ ...store, documents: { [key]: [planted] } }));
    expect(withVerdictCache(() => validateDocument(gateway('shop-gateway')))).toEqual([planted]);
    expect(withVerdictCache(() => validateDocument(gateway('shop-gateway2')))).toEqual([]);
    expect(validateDocument(gateway('shop-gateway'))).toEqual([]); // outside withVerdictCache: always checked
  }));

  test('treats a damaged file as empty', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = path.join(dir, 'node_modules', '.cache', 'cdk8s-istio', cacheFiles(dir)[0]);
    fs.writeFileSync(file, '{"documents": [tru');
    expect(withVerdictCache(() => validateDocument(gateway('shop.gateway'))).map(v => v.path)).toContain('metadata.name');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).documents).toBeInstanceOf(Object);
  }));

  test('is off with CDK8S_ISTIO_CACHE=off; kept beside the package when the working directory has no node_modules', () => {
    expect(VerdictCache.open(process.cwd(), { CDK8S_ISTIO_CACHE: 'off' })).toBeUndefined();
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-no-modules-'));
    try {
      expect(cacheFolder(bare, {})).toBe(path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'cdk8s-istio'));
      expect(VerdictCache.open(bare, {})).toBeDefined();
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('the verdict cache files of several builds of the validator', () => {
  test(`keep the ${KEPT_DIGESTS} most recently written digests, removing older ones`, () => inProject(dir => {
    const folder = path.join(dir, 'node_modules', '.cache', 'cdk8s-istio');
    fs.mkdirSync(folder, { recursive: true });
    // other builds' files (the bundle, build/lib, the sources under jest), written earlier, oldest first
    const others = Array.from({ length: KEPT_DIGESTS + 1 }, (_, i) => `verdicts-other${i}.json`);
    others.forEach((name, i) => {
      fs.writeFileSync(path.join(folder, name), '{"documents": {}, "kinds": {}}');
      fs.utimesSync(path.join(folder, name), new Date(1000 * (i + 1)), new Date(1000 * (i + 1)));
    });
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const kept = cacheFiles(dir);
    expect(kept).toHaveLength(KEPT_DIGESTS);
    expect(kept).toEqual(expect.arrayContaining(others.slice(-(KEPT_DIGESTS - 1))));
    expect(kept.filter(f => !others.includes(f))).toHaveLength(1);
  }));
});

describe('the verdict store file, over several syntheses in one process (a snapshot test suite)', () => {
  test('is read once per version: syntheses after the one that wrote it do not read it; a file written by another process is read anew', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, whose functions a spy can replace
    const reads = jest.spyOn(require('fs') as typeof fs, 'readFileSync');
    const readsOfStore = () => reads.mock.calls.filter(([p]) => p === file).length;
    try {
      for (let i = 0; i < 3; i++) expect(withVerdictCache(() => validateDocument(gateway('shop-gateway')))).toEqual([]);
      expect(readsOfStore()).toBe(0);
      const store = JSON.parse(fs.readFileSync(file, 'utf8'));
      const planted = { apiVersion: 'x', kind: 'y', name: 'z', path: 'spec', message: 'planted', source: 'schema' };
      fs.writeFileSync(`${file}.other`, JSON.stringify({ ...store, documents: { [Object.keys(store.documents)[0]]: [planted] } }));
      fs.renameSync(`${file}.other`, file); // as another process saves
      reads.mockClear();
      expect(withVerdictCache(() => validateDocument(gateway('shop-gateway')))).toEqual([planted]);
      expect(readsOfStore()).toBe(1);
    } finally {
      reads.mockRestore();
    }
  }));

  test('gets new verdicts spliced in: the file keeps its text and ends with them, the kinds kept, from an empty store too', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    const { kinds } = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ kinds, documents: {} }));
    const before = fs.readFileSync(file, 'utf8');
    withVerdictCache(() => validateDocument(gateway('shop-gateway2')));
    const once = fs.readFileSync(file, 'utf8');
    expect(once.startsWith(before.slice(0, -2))).toBe(true);
    expect(storedKeys(file)).toHaveLength(1);
    withVerdictCache(() => validateDocument(gateway('shop.gateway')));
    const twice = fs.readFileSync(file, 'utf8');
    expect(twice.startsWith(once.slice(0, -2))).toBe(true);
    const stored = JSON.parse(twice);
    expect(stored.kinds).toEqual(kinds);
    expect(Object.values(stored.documents).map(v => (v as { path: string }[]).map(p => p.path))).toEqual([[], ['metadata.name']]);
    // and they are what a new process (the file read again) answers
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(withVerdictCache(() => validateDocument(gateway('shop.gateway'))).map(v => v.path)).toEqual(['metadata.name']);
  }));

  test('written whole when another process rewrote it since it was read: valid, with this run\'s verdicts', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    withVerdictCache(() => {
      validateDocument(gateway('shop-gateway2'));
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"documents":{', '"documents":{"other":[],'));
    });
    expect(storedKeys(file)).toHaveLength(2);
    expect(storedKeys(file)).not.toContain('other');
  }));

  test(`keeps only this run's verdicts once it would pass ${MAX_ENTRIES.toLocaleString('en')} documents`, () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    const store = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (let i = Object.keys(store.documents).length; i < MAX_ENTRIES; i++) store.documents[`pad${i}`] = [];
    fs.writeFileSync(file, JSON.stringify(store));
    withVerdictCache(() => [gateway('shop-gateway'), gateway('shop-gateway2')].map(validateDocument));
    expect(storedKeys(file)).toHaveLength(2);
  }));
});
