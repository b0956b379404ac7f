import { ClientTlsMode, DestinationRule, MeshService, analyze } from '../../lib';
import { redactSecrets } from '../../lib/core/secret-redaction';
import { newChart } from '../support/constructs';

/**
 * Messages quote the values they refuse, and are printed to terminals and CI logs: the secret part
 * of a quoted value is redacted, the rest kept, so the message still says which value it means.
 */
const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkSECRETKEYMATERIAL\n-----END EC PRIVATE KEY-----';

describe('redactSecrets', () => {
  test.each([
    ['a PEM block', `not "${KEY}"`, 'not "-----BEGIN EC PRIVATE KEY----- <redacted> -----END EC PRIVATE KEY-----"'],
    ['a PEM block cut short by a quote', '"-----BEGIN PRIVATE KEY----- | MIIEvQIBADAN', '"-----BEGIN PRIVATE KEY----- <redacted> -----END PRIVATE KEY-----'],
    ['a base64 PEM file', 'value "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"', 'value "LS0tLS1CRUdJTi<redacted>"'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here', 'token eyJ<redacted> here'],
    ['a bearer token', '"Bearer abc123def456"', '"Bearer <redacted>"'],
    ['an image with a password', 'image "admin:hunter2@registry.example.com/app:1.0"', 'image "admin:<redacted>@registry.example.com/app:1.0"'],
    ['a URL with a password', 'url https://bob:s3cret@db.example.com/x', 'url https://bob:<redacted>@db.example.com/x'],
    ['a GitHub token', 'label "ghp_abcdefghijklmnop1234"', 'label "ghp_<redacted>"'],
    ['a Stripe key', 'STRIPE=sk_live_51H8abcdefghijklmn', 'STRIPE=sk_live_<redacted>'],
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE.', 'key AKIA<redacted>.'],
  ])('redacts %s', (_, text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  test.each([
    'image "nginx:1.25@sha256:0123456789abcdef"', 'url http://prometheus.istio-system:9090', 'uses Basic authentication',
    'principal cluster.local/ns/shop/sa/web', 'shop/dr: trafficPolicy.tls: mode SIMPLE', 'a password in a URL (user:password@)',
    'postgres://user:$(DB_PASSWORD)@host/db', 'postgres://user:<password>@host/db',
  ])('leaves %s as it is', text => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('errors and findings that quote a secret', () => {
  test('a private key given as a CA bundle path is refused without printing the key', () => {
    const { chart } = newChart();
    const orders = new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'example/orders:1.0' } } });
    let message = '';
    try {
      new DestinationRule(chart, 'dr', { host: orders, trafficPolicy: { tls: { mode: ClientTlsMode.SIMPLE, caCertificates: KEY } } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('test/dr: trafficPolicy.tls.caCertificates: must be the absolute path of a file');
    expect(message).toContain('-----BEGIN EC PRIVATE KEY----- <redacted>');
    expect(message).not.toContain('SECRETKEYMATERIAL');
  });

  test('an analysis finding about an image holding a password names the problem, never the password', () => {
    const doc = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'd', image: 'admin:hunter2@registry.example.com/d:1' }] } },
      },
    };
    const texts = analyze([doc]).map(m => m.message).join('\n');
    expect(texts).toContain('the image reference starts with credentials (user:password@), which no image reference holds');
    expect(texts).not.toContain('hunter2');
  });
});
