import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cacheFolder, installCacheFolder } from '../../lib/core/code-cache';

const ROOT = path.resolve(__dirname, '..', '..');
const CODE_CACHE = path.join(ROOT, 'build', 'lib', 'core', 'code-cache.js');

/** Runs `requireCached(bundle)` (build/lib/core/code-cache.js) in a Node process started in `cwd`; returns what the module exported. */
function requireInProcess(cwd: string, bundle: string, env: NodeJS.ProcessEnv = {}): unknown {
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(CODE_CACHE)}).requireCached(${JSON.stringify(bundle)})))`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_ISTIO_CACHE: '', ...env } });
  if (r.status !== 0) throw new Error(`node -e failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('requireCached (lib/core/code-cache.ts), how the package main and the command load their bundles', () => {
  let project: string;
  let cache: string;
  const bundle = () => path.join(project, 'bundle.js');
  const caches = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter(f => f.endsWith('.v8')) : []);
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-code-cache-'));
    cache = path.join(project, 'node_modules', '.cache', 'cdk8s-istio');
    fs.mkdirSync(path.join(project, 'node_modules'));
    // a module that uses what Node gives a CommonJS file: require from its folder, __filename, __dirname
    fs.writeFileSync(path.join(project, 'helper.js'), 'exports.answer = 42;');
    fs.writeFileSync(bundle(), 'exports.value = { answer: require("./helper").answer, file: __filename, dir: __dirname };');
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  test('runs the module as require does, writes its code cache once, then uses it', () => {
    const expected = { value: { answer: 42, file: bundle(), dir: project } };
    expect(requireInProcess(project, bundle())).toEqual(expected);
    const written = caches();
    expect(written).toEqual([expect.stringMatching(/^bundle-[0-9a-f]{16}\.v8$/)]);
    const stamp = fs.statSync(path.join(cache, written[0])).mtimeMs;
    expect(requireInProcess(project, bundle())).toEqual(expected);
    // V8 accepted the cache: it was not written again
    expect(caches()).toEqual(written);
    expect(fs.statSync(path.join(cache, written[0])).mtimeMs).toBe(stamp);
  });

  test('a rebuilt module gets a cache of its own, and the old one is removed', () => {
    requireInProcess(project, bundle());
    const [old] = caches();
    fs.writeFileSync(bundle(), 'exports.value = "rebuilt";');
    expect(requireInProcess(project, bundle())).toEqual({ value: 'rebuilt' });
    expect(caches()).toHaveLength(1);
    expect(caches()[0]).not.toBe(old);
  });

  test('is a plain require with CDK8S_ISTIO_CACHE=off; from a folder without node_modules, the cache is the package\'s', () => {
    expect(requireInProcess(project, bundle(), { CDK8S_ISTIO_CACHE: 'off' })).toEqual({ value: { answer: 42, file: bundle(), dir: project } });
    expect(caches()).toEqual([]);
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-no-modules-'));
    const packageCache = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-istio');
    const written = () => fs.readdirSync(packageCache).filter(f => /^bundle-[0-9a-f]{16}\.v8$/.test(f));
    try {
      written().forEach(f => fs.rmSync(path.join(packageCache, f)));
      expect(requireInProcess(bare, bundle())).toEqual({ value: { answer: 42, file: bundle(), dir: project } });
      expect(fs.existsSync(path.join(bare, 'node_modules'))).toBe(false);
      expect(written()).toHaveLength(1);
    } finally {
      written().forEach(f => fs.rmSync(path.join(packageCache, f)));
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('cacheFolder: where the caches are kept', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-cache-folder-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const mkdir = (...parts: string[]) => {
    const dir = path.join(root, ...parts);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  test('a project\'s own node_modules comes first', () => {
    const project = mkdir('project', 'node_modules');
    expect(cacheFolder(path.dirname(project), {}, mkdir('elsewhere'))).toBe(path.join(project, '.cache', 'cdk8s-istio'));
  });

  test('else the node_modules the package is installed in, even when the package has a nested one', () => {
    const installed = mkdir('global', 'lib', 'node_modules', 'cdk8s-istio', 'build');
    mkdir('global', 'lib', 'node_modules', 'cdk8s-istio', 'node_modules');
    expect(cacheFolder(mkdir('anywhere'), {}, installed)).toBe(path.join(root, 'global', 'lib', 'node_modules', '.cache', 'cdk8s-istio'));
  });

  test('else, in a checkout, the checkout\'s node_modules; none when there is no node_modules at all', () => {
    const checkout = mkdir('checkout');
    const code = mkdir('checkout', 'build', 'lib', 'core');
    expect(installCacheFolder(code)).toBeUndefined();
    mkdir('checkout', 'node_modules');
    expect(installCacheFolder(code)).toBe(path.join(checkout, 'node_modules', '.cache', 'cdk8s-istio'));
    expect(cacheFolder(mkdir('anywhere'), { CDK8S_ISTIO_CACHE: 'off' }, code)).toBeUndefined();
  });
});
