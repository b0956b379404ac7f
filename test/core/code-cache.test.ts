import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileBuildFirst } from '../support/build';

const CODE_CACHE = path.resolve(__dirname, '..', '..', 'build', 'lib', 'core', 'code-cache.js');

/** Runs `requireCached(bundle)` (build/lib/core/code-cache.js) in a Node process started in `cwd`; returns what the module exported. */
function requireInProcess(cwd: string, bundle: string, env: NodeJS.ProcessEnv = {}): unknown {
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(CODE_CACHE)}).requireCached(${JSON.stringify(bundle)})))`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_ISTIO_CACHE: '', ...env } });
  if (r.status !== 0) throw new Error(`node -e failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('requireCached (lib/core/code-cache.ts), how the package main and the command load their bundles', () => {
  compileBuildFirst();
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

  test('is a plain require without a node_modules folder, or with CDK8S_ISTIO_CACHE=off', () => {
    expect(requireInProcess(project, bundle(), { CDK8S_ISTIO_CACHE: 'off' })).toEqual({ value: { answer: 42, file: bundle(), dir: project } });
    expect(caches()).toEqual([]);
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-no-modules-'));
    try {
      expect(requireInProcess(bare, bundle())).toEqual({ value: { answer: 42, file: bundle(), dir: project } });
      expect(fs.existsSync(path.join(bare, 'node_modules'))).toBe(false);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });
});
