import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { LocalRateLimit, MeshNamespace, MeshService, Prometheus, VirtualService, writeManifests } from '../../lib';
import { expectMeshError, newChart } from '../support/constructs';
import { temporaryFolder } from '../support/temporary-folders';

const PEM = ['-----BEGIN PRIVATE KEY-----', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', '-----END PRIVATE KEY-----'].join('\n');

/** An app of one chart holding `doc`; returns what writeManifests throws (or undefined) and whether outdir was written. */
function synth(doc: Record<string, unknown>): { error?: string; written: boolean } {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  new ApiObject(chart, 'object', doc as never);
  const outdir = path.join(temporaryFolder('secret-values-'), 'out');
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

describe('encoded keys and tokens are found wherever they are written', () => {
  const base64Pem = Buffer.from(`${PEM}\n`).toString('base64');
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV';
  test.each([
    ['a base64 PEM key in binaryData', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { 'key.pem': base64Pem } },
      'binaryData["key.pem"]', 'a base64-encoded PEM private key', 'keep keys in a Secret'],
    ['a base64 PEM key in an annotation', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { k: base64Pem } } },
      'metadata.annotations.k', 'a base64-encoded PEM private key', 'keep keys in a Secret'],
    ['a bearer token', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { h: 'Bearer abcdefghijklmnop0123' } },
      'data.h', 'a bearer token', 'have the caller send the credential'],
    ['basic-auth credentials', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { h: 'basic YWRtaW46aHVudGVyMg==' } },
      'data.h', 'basic-auth credentials', 'have the caller send the credential'],
    ['a JWT', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { token: jwt } }, 'data.token', 'a JSON Web Token', 'have the caller send the credential'],
    ['a GitHub token in an annotation', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'ci/token': 'ghp_abcdefghijklmnop0123456789' } } },
      'metadata.annotations["ci/token"]', 'a provider token (GitHub, GitLab, Stripe, Slack)', 'have the caller send the credential'],
    ['a Stripe live key under a neutral name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { STRIPE: 'sk_live_51H8abcdefghijklmnopqrst' } },
      'data.STRIPE', 'a provider token (GitHub, GitLab, Stripe, Slack)', 'have the caller send the credential'],
  ])('%s', (_, doc, field, what, fix) => {
    const { error, written } = synth(doc);
    expect(written).toBe(false);
    expect(error).toContain(`shop/object: ${field}: the value holds ${what}, which would be written into the manifests. Fix: ${fix}`);
    expect(error).not.toContain(base64Pem);
  });

  test('a ConfigMap key named like a secret with a literal value is refused: envFrom would make it an env var', () => {
    const { error, written } = synth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD: 'hunter2', DB_HOST: 'db' } });
    expect(written).toBe(false);
    expect(error).toContain('shop/object: data.DB_PASSWORD: a ConfigMap key named like a secret holds a literal value');
    expect(error).not.toContain('hunter2');
    expect(synth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD_FILE: '/secrets/db', TOKEN_URL: 'https://x' } }))
      .toEqual({ written: true });
  });

  test('words like "Bearer" or "basic" in ordinary text, a certificate and a public key pass', () => {
    const cert = ['-----BEGIN CERTIFICATE-----', 'MIIB', '-----END CERTIFICATE-----'].join('\n');
    const data = {
      note: 'send Authorization: Bearer <token>',
      mode: 'Basic authentication is off',
      tokens: 'Bearer authentication uses tokens',
      ca: cert,
      pub: Buffer.from(cert).toString('base64'),
    };
    expect(synth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data })).toEqual({ written: true });
  });
});

describe('a password inside a URL', () => {
  const url = 'https://admin:s3cr3tpass@example.com/';
  test('in another project\'s custom resource fails the synthesis, naming the field, never the password', () => {
    const { error, written } = synth({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, spec: { backends: [{ url }] } });
    expect(written).toBe(false);
    expect(error).toContain('shop/object: spec.backends[0].url: the value holds a password inside a URL (user:password@), which would be '
      + 'written into the manifests. Fix: keep the credential in a Secret the service reads');
    expect(error).not.toContain('s3cr3tpass');
  });

  test('in a ConfigMap it is refused once, by the admission rule; a URL without a password, or with a $(VAR) one, passes', () => {
    const { error } = synth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { upstream: url } });
    expect(error?.match(/password inside a URL/g)).toHaveLength(1);
    const fine = { plain: 'https://example.com/', user: 'https://admin@example.com/', variable: 'postgres://admin:$(DB_PASSWORD)@db/app' };
    expect(synth({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, spec: fine })).toEqual({ written: true });
  });
});

describe('credentials given to constructs are refused at construction, naming the prop', () => {
  const api = (c: Chart) => new MeshService(c, 'api', { port: 8080, versions: { v1: { image: 'registry.example.com/api:1' } } });
  const HEADER = 'is given a literal credential, which would be written into the manifests';

  test('a route header and a rate limit response header holding an API key', () => {
    const { chart } = newChart();
    const service = api(chart);
    expectMeshError(() => new VirtualService(chart, 'vs', {
      hosts: [service], http: [{ to: [service.version('v1').withHeaders({ request: { set: { 'x-api-key': 'sk_live_0123456789' } } })] }],
    }), 'test/vs', 'http[0].route[0].headers.request.set.x-api-key', `the header x-api-key ${HEADER}`, 'have the caller send it');
    expectMeshError(() => new LocalRateLimit(chart, 'rl', {
      target: service, bucket: { maxTokens: 10, fillInterval: Duration.seconds(1) }, responseHeaders: { 'x-auth-token': 'abc123' },
    }), 'test/rl', 'responseHeaders.x-auth-token', `the header x-auth-token ${HEADER}`);
  });

  test('a Prometheus scrape job passing an API key as a URL parameter', () => {
    const { chart } = newChart();
    expectMeshError(() => new Prometheus(chart, 'p', {
      scrapeJobs: [{ name: 'ext', staticTargets: ['metrics.example.com:443'], scheme: 'https', params: { api_key: ['0123456789'] } }],
    }), 'test/p', 'scrapeJobs[0].params.api_key', 'the URL parameter api_key is a credential', 'a mounted Secret');
  });
});

describe('objects that render themselves (toJson() overridden)', () => {
  /** An object whose toJson() returns the manifest it keeps: a caller may change it between two syntheses. */
  class KeptObject extends ApiObject {
    constructor(scope: Chart, id: string, public readonly manifest: Record<string, any>) {
      super(scope, id, manifest as never);
    }

    public toJson(): any {
      return this.manifest;
    }
  }

  const outdir = () => path.join(temporaryFolder('secret-values-'), 'out');

  test('a key added to the same document after a first synthesis is found in the second (nothing is remembered across syntheses)', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const kept = new KeptObject(chart, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { port: '8080' } });
    writeManifests(app, { outdir: outdir() });
    kept.manifest.data.key = PEM;
    expect(() => writeManifests(app, { outdir: outdir() })).toThrow(/shop\/settings: data\.key: the value holds a PEM private key/);
  });

  test('a key inside a value whose toJSON() hides it is still found', () => {
    class Sensitive {
      constructor(public readonly value: string) {}
      public toJSON(): string {
        return '[redacted]';
      }
    }
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new KeptObject(chart, 'scaler', { apiVersion: 'example.com/v1', kind: 'Scaler', metadata: { name: 'scaler' }, spec: { tls: new Sensitive(PEM) } });
    expect(() => writeManifests(app, { outdir: outdir() })).toThrow(/shop\/scaler: spec\.tls\.value: the value holds a PEM private key/);
  });
});
