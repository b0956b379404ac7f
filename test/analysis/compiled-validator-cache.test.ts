import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const LIBRARY = path.resolve(__dirname, '..', '..', 'build', 'lib');

/**
 * Validates a Gateway, a DestinationRule (whose validator uses ajv's runtime module for string
 * lengths) and a Gateway API Gateway (whose listener protocol has a pattern, run on RE2) with the
 * compiled library in a Node process started in `cwd`; returns the paths found wrong, and whether
 * the process loaded ajv itself (only to compile a validator the cache lacks).
 */
function validateInProcess(cwd: string): { paths: string[]; ajvLoaded: boolean } {
  const script = `const { validateDocument } = require(${JSON.stringify(path.join(LIBRARY, 'analysis', 'schema'))});
    const gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'shop' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [5] }] } };
    const rule = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r', namespace: 'shop' },
      spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } };
    const listener = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'l', namespace: 'shop' },
      spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'a!' }] } };
    const paths = [gateway, rule, listener].flatMap(validateDocument).map(v => v.path);
    const ajvLoaded = Object.keys(require.cache).some(f => f.endsWith(require('path').join('ajv', 'dist', 'ajv.js')));
    process.stdout.write(JSON.stringify({ paths, ajvLoaded }));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_ISTIO_CACHE: '' } });
  if (r.status !== 0) throw new Error(`node -e failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('the compiled validator cache, in a project whose node_modules holds no ajv', () => {
  test('writes each validator and its code cache once, then loads them instead of compiling again', () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-validators-'));
    try {
      fs.mkdirSync(path.join(project, 'node_modules'));
      const cache = path.join(project, 'node_modules', '.cache', 'cdk8s-istio');
      const first = validateInProcess(project);
      expect(first).toEqual({ paths: ['spec.servers[0].hosts[0]', 'spec.listeners[0].protocol'], ajvLoaded: true });
      const written = fs.readdirSync(cache).filter(f => f.endsWith('.cjs'));
      // each validator's V8 code cache is written when the first process that loaded it exits; ajv is not loaded again
      expect(validateInProcess(project)).toEqual({ ...first, ajvLoaded: false });
      expect(fs.readdirSync(cache).filter(f => f.endsWith('.cjs.v8'))).toEqual(written.map(f => `${f}.v8`));
      expect(written.some(f => fs.readFileSync(path.join(cache, f), 'utf8').includes('require("ajv/dist/runtime/'))).toBe(true);
      const files = fs.readdirSync(cache).filter(f => f.includes('.cjs'));
      const stamps = files.map(f => fs.statSync(path.join(cache, f)).mtimeMs);
      // an entry that fails to load (or a code cache V8 rejects) is written again: unchanged times mean both were used
      expect(validateInProcess(project)).toEqual({ ...first, ajvLoaded: false });
      expect(fs.readdirSync(cache).filter(f => f.includes('.cjs'))).toEqual(files);
      expect(files.map(f => fs.statSync(path.join(cache, f)).mtimeMs)).toEqual(stamps);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 120_000);
});
