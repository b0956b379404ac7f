import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasSchema, validateDocument, withVerdictCache } from '../../lib/analysis/schema';
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
  const planted = { apiVersion: 'x', kind: 'y', name: 'z', path: 'spec', message: 'planted', source: 'schema' };
  /** Runs `fn` counting how often the store file is opened for reading. */
  function countingReads(file: string, fn: (reads: () => number) => void): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, whose functions a spy can replace
    const opens = jest.spyOn(require('fs') as typeof fs, 'openSync');
    try {
      fn(() => opens.mock.calls.filter(([p, flags]) => p === file && flags === 'r').length);
    } finally {
      opens.mockRestore();
    }
  }

  test('is read once per version: not again after this process wrote or spliced it; again when another process replaced it', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    countingReads(file, reads => {
      for (let i = 0; i < 3; i++) expect(withVerdictCache(() => validateDocument(gateway('shop-gateway')))).toEqual([]);
      expect(reads()).toBe(0);
      withVerdictCache(() => validateDocument(gateway('shop-gateway2'))); // a splice reads the bytes it extends
      expect(reads()).toBe(1);
      expect(withVerdictCache(() => validateDocument(gateway('shop-gateway2')))).toEqual([]);
      expect(reads()).toBe(1);
      const store = JSON.parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(`${file}.other`, JSON.stringify({ ...store, documents: { [Object.keys(store.documents)[0]]: [planted] } }));
      fs.renameSync(`${file}.other`, file); // as another process saves
      expect(withVerdictCache(() => validateDocument(gateway('shop-gateway')))).toEqual([planted]);
      expect(reads()).toBe(2);
    });
  }));

  test('gets new verdicts spliced in: the bytes before them kept (a rewrite would drop the space), from an empty store too', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    const { kinds } = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, `{"kinds": ${JSON.stringify(kinds)},"documents":{}}`);
    withVerdictCache(() => validateDocument(gateway('shop-gateway2')));
    const once = fs.readFileSync(file, 'utf8');
    expect(once.startsWith(`{"kinds": ${JSON.stringify(kinds)},"documents":{"`)).toBe(true);
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

  test('written whole, valid, when it cannot be spliced: kinds learnt, another key order, space before the last braces', () => inProject(dir => {
    const check = (name: string) => withVerdictCache(() => hasSchema('networking.istio.io/v1', 'Gateway') && validateDocument(gateway(name)));
    check('shop-gateway');
    const file = storeFile(dir);
    const { kinds, documents } = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(kinds).toEqual({ 'networking.istio.io/v1/Gateway': true });
    const layouts = [
      `{"kinds": {},"documents":${JSON.stringify(documents)}}`, // the Gateway kind not known yet
      `{"documents":${JSON.stringify(documents)},"kinds":${JSON.stringify(kinds)}}`,
      `{"kinds":${JSON.stringify(kinds)},"documents":{ }}`,
    ];
    layouts.forEach((layout, i) => {
      fs.writeFileSync(file, layout);
      fs.utimesSync(file, new Date(), new Date(Date.now() + 1000 * (i + 1)));
      check(`shop-gateway-${i}`);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.slice(0, 10)).toBe('{"kinds":{');
      expect(Object.keys(JSON.parse(text).kinds)).toEqual(Object.keys(kinds));
    });
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

  test('takes a damaged entry (not a list of violations) for none: the document is checked again, nothing throws', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop.gateway')));
    const file = storeFile(dir);
    const store = JSON.parse(fs.readFileSync(file, 'utf8'));
    const [key] = Object.keys(store.documents);
    for (const damaged of [null, 'none', [1], [{ path: 'spec' }]]) {
      fs.writeFileSync(file, JSON.stringify({ ...store, documents: { [key]: damaged } }));
      expect(withVerdictCache(() => validateDocument(gateway('shop.gateway'))).map(v => v.path)).toEqual(['metadata.name']);
    }
  }));

  test('removes temporary files left by a process that died before renaming them, not a recent one', () => inProject(dir => {
    withVerdictCache(() => validateDocument(gateway('shop-gateway')));
    const file = storeFile(dir);
    const [abandoned, recent] = [`${file}.4242-0.tmp`, `${file}.4343-0.tmp`];
    fs.writeFileSync(abandoned, '{');
    fs.writeFileSync(recent, '{');
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(abandoned, hourAgo, hourAgo);
    withVerdictCache(() => validateDocument(gateway('shop-gateway2')));
    expect([fs.existsSync(abandoned), fs.existsSync(recent)]).toEqual([false, true]);
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
