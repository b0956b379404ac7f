import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { MeshNamespace, writeManifests } from '../../lib';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '-----END PRIVATE KEY-----'].join('\n');

/** An app of one chart holding `doc`; returns what writeManifests throws (or undefined) and whether outdir was written. */
function synth(doc: Record<string, unknown>): { error?: string; written: boolean } {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  new ApiObject(chart, 'object', doc as never);
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secret-values-')), 'out');
  try {
    writeManifests(app, { outdir });
    return { written: fs.existsSync(outdir) };
  } catch (e) {
    return { error: (e as Error).message, written: fs.existsSync(outdir) };
  }
}

describe('no secret value reaches the manifests', () => {
  test.each(['data', 'stringData'])('a Secret with %s fails before anything is written, naming the keys but not the values', field => {
    const { error, written } = synth({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, [field]: { password: 'aHVudGVyMg==' } });
    expect(written).toBe(false);
    expect(error).toContain(`shop/object: ${field}: Secret "db" holds secret values (password), which would be written into the manifests. `
      + 'Fix: create the Secret in the cluster');
    expect(error).not.toContain('aHVudGVyMg==');
  });

  test('a Secret without values (a type, labels) is written', () => {
    const metadata = { name: 'token', annotations: { 'kubernetes.io/service-account.name': 'api' } };
    expect(synth({ apiVersion: 'v1', kind: 'Secret', metadata, type: 'kubernetes.io/service-account-token' })).toEqual({ written: true });
  });

  test.each([
    ['a ConfigMap value', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tls' }, data: { 'key.pem': PEM } }, 'data["key.pem"]'],
    ['an annotation', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { key: PEM } } }, 'metadata.annotations.key'],
  ])('a PEM private key in %s fails, naming the field', (_, doc, field) => {
    const { error, written } = synth(doc);
    expect(written).toBe(false);
    expect(error).toContain(`shop/object: ${field}: the value holds a PEM private key, which would be written into the manifests. Fix: keep keys in a Secret`);
    expect(error).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  });
});
