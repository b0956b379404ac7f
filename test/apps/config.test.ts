import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CONFIG_ENV, loadSettings } from '../../apps/config';
import { synthAll } from '../../apps/synth-all';
import { temporaryFolder } from '../support/temporary-folders';

const ROOT = path.resolve(__dirname, '..', '..');

function tempFile(content: string): string {
  const dir = temporaryFolder('cdk8s-istio-config-');
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('app settings from CDK8S_ISTIO_CONFIG', () => {
  test('without the variable every app gets its defaults', () => {
    expect(loadSettings({})).toEqual({});
  });

  test('settings reach the synthesized manifests', () => {
    const file = tempFile(JSON.stringify({
      'food-delivery': { domain: 'food.acme.io', tlsSecretName: 'acme-tls', replicas: 2, images: { payment: 'registry.acme.io/payment:2.3.1' } },
      'voting': { namespace: 'votes' },
      'hello': { nodePort: 31080 },
    }));
    const outdir = temporaryFolder('cdk8s-istio-settings-');
    synthAll(outdir, loadSettings({ [CONFIG_ENV]: file }));
    const docs = (f: string) => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as Record<string, any>[];
    const food = docs('food-delivery/food-delivery.yaml');
    const gateway = food.find(d => d.kind === 'Gateway')!;
    expect(gateway.spec.servers.map((s: any) => s.hosts)).toEqual([['food.acme.io'], ['food.acme.io']]);
    expect(gateway.spec.servers[1].tls.credentialName).toBe('acme-tls');
    const payment = food.find(d => d.kind === 'Deployment' && d.metadata.name === 'payment-v1')!;
    expect(payment.spec.replicas).toBe(2);
    expect(payment.spec.template.spec.containers[0].image).toBe('registry.acme.io/payment:2.3.1');
    expect(docs('voting/voting.yaml').filter(d => d.kind !== 'Namespace').every(d => d.metadata.namespace === 'votes')).toBe(true);
    expect(docs('hello/nodeport/istio-ingressgateway-nodeport.yaml')[0].spec.ports[0].nodePort).toBe(31080);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('an unknown setting fails with the file, the JSON path and the allowed keys', () => {
    const file = tempFile(JSON.stringify({ 'food-delivery': { domian: 'x' } }));
    expect(() => loadSettings({ [CONFIG_ENV]: file })).toThrow(new RegExp(`${file}: invalid settings:\\n  /food-delivery: must NOT have additional properties "domian"[\\s\\S]*food-delivery \\{ namespace, domain, tlsSecretName, images, replicas \\}`));
  });

  test('a relative path is relative to the directory npm run was started from (INIT_CWD)', () => {
    const file = tempFile(JSON.stringify({ hello: { nodePort: 31080 } }));
    expect(loadSettings({ [CONFIG_ENV]: path.basename(file), INIT_CWD: path.dirname(file) })).toEqual({ hello: { nodePort: 31080 } });
  });

  test('a wrong type fails with its path', () => {
    const file = tempFile(JSON.stringify({ hello: { nodePort: 80 } }));
    expect(() => loadSettings({ [CONFIG_ENV]: file })).toThrow('/hello/nodePort: must be >= 30000');
  });

  test('a file that is not JSON fails with the file name', () => {
    const file = tempFile('{ nope');
    expect(() => loadSettings({ [CONFIG_ENV]: file })).toThrow(`${CONFIG_ENV}=${file}: cannot read the settings file`);
  });

  test('the synth entry reports a bad settings file in one message and exit code 1, without a stack trace', () => {
    const file = tempFile(JSON.stringify({ shop: {} }));
    const outdir = temporaryFolder('cdk8s-istio-main-');
    // `npm run synth`: the compiled apps/main.ts
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'synth.js')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, [CONFIG_ENV]: file, CDK8S_OUTDIR: outdir },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('must NOT have additional properties "shop"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(outdir)).toEqual([]);
  }, 30_000);
});
