import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  ClientTlsMode, DestinationRule, Gateway, GatewayProtocol, GatewayTls, RequestAuthentication, writeManifests,
} from '../../lib';
import { admissionProblems } from '../../lib/admission';
import { expectAccepted, expectProblemAt, istio } from '../admission/documents';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

const ISSUER = 'https://auth.example.com';
const RSA_PUBLIC = { kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsu', e: 'AQAB' };
const EC_PUBLIC = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCy' };
const PEM_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\n-----END RSA PRIVATE KEY-----\n';
const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n';
const RA = 'security.istio.io';

/** A Gateway document with one HTTPS server per TLS block (ports 443, 444, …). */
function gatewayDoc(tls: Record<string, unknown>[]) {
  const servers = tls.map((t, i) => ({
    port: { number: 443 + i, name: `https-${i}`, protocol: 'HTTPS' }, hosts: [`h${i}.example.com`], tls: t,
  }));
  return istio('Gateway', { selector: { istio: 'ingressgateway' }, servers });
}

function jwtRule(jwks: string) {
  return { jwtRules: [{ issuer: ISSUER, jwks }] };
}

describe('inline JWKS is parsed as JSON: no private or symmetric key reaches the manifests', () => {
  test.each([
    ['"d" written as a JSON escape', '{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","\\u0064":"secret"}]}', 'member "d"'],
    ['"k" written as a JSON escape', '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","\\u006b":"c2VjcmV0"}]}', 'member "k"'],
    ['RSA CRT parameters in the second key',
      JSON.stringify({ keys: [RSA_PUBLIC, { ...RSA_PUBLIC, kid: 'k2', p: 'x', q: 'y', dp: 'a', dq: 'b', qi: 'c' }] }),
      'key 1 of the key set contains private key material (or a symmetric key): member "p", "q", "dp", "dq", "qi"'],
    ['"oth" (multi-prime RSA)', JSON.stringify({ keys: [{ ...RSA_PUBLIC, oth: [{ r: 'a', d: 'b', t: 'c' }] }] }), 'member "oth"'],
    ['an upper-case "D"', JSON.stringify({ keys: [{ ...EC_PUBLIC, D: 'secret' }] }), 'member "D"'],
    ['a single private JWK (no "keys")', JSON.stringify({ ...EC_PUBLIC, d: 'secret' }), 'member "d"'],
    ['a symmetric oct key without "k"', JSON.stringify({ keys: [{ kty: 'oct', kid: 'hmac' }] }), 'symmetric ("oct") key'],
  ])('%s is refused', (_case, jwks, says) => {
    const { chart } = newChart();
    const error = expectMeshError(() => new RequestAuthentication(chart, 'jwt', jwtRule(jwks)), 'test/jwt', 'jwtRules[0].jwks', says,
      'Fix: inline only public keys');
    expect(error.message).not.toContain('secret"');
  });

  test.each([
    ['not JSON at all', 'keys: [RSA]'],
    ['truncated JSON', '{"keys":[{"kty":"RSA"'],
    ['a key that is not an object', '{"keys":["RSA"]}'],
  ])('%s is refused with a fix', (_case, jwks) => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', jwtRule(jwks)), 'test/jwt', 'jwtRules[0].jwks', 'Fix: ');
  });

  test('a PEM private key is refused without being quoted back', () => {
    const { chart } = newChart();
    const error = expectMeshError(() => new RequestAuthentication(chart, 'jwt', jwtRule(PEM_KEY)),
      'test/jwt', 'jwtRules[0].jwks', 'a PEM private key');
    expect(error.message).not.toContain('MIIE');
  });

  test('public RSA and EC key sets, and a single public key, are accepted and written unchanged', () => {
    const { chart } = newChart();
    const set = JSON.stringify({ keys: [RSA_PUBLIC, EC_PUBLIC] });
    const single = JSON.stringify(RSA_PUBLIC);
    const jwtRules = [{ issuer: ISSUER, jwks: set }, { issuer: 'https://b.example.com', jwks: single }];
    new RequestAuthentication(chart, 'jwt', { jwtRules });
    expect(findDoc(docsOf(chart), 'RequestAuthentication', 'jwt').spec.jwtRules.map((r: any) => r.jwks)).toEqual([set, single]);
  });

  test('the document rule refuses the same on any RequestAuthentication document, raw ones included', () => {
    const escaped = '{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","\\u0064":"secret"}]}';
    const publicSet = JSON.stringify({ keys: [RSA_PUBLIC] });
    const jwtRules = [{ issuer: ISSUER, jwks: publicSet }, { issuer: ISSUER, jwks: escaped }];
    const doc = istio('RequestAuthentication', { jwtRules }, 'jwt', RA);
    expectProblemAt(doc, 'spec.jwtRules[1].jwks', 'contains private key material', 'inline only public keys');
    expectProblemAt(istio('RequestAuthentication', { jwtRules: [{ issuer: ISSUER, jwks: '{' }] }, 'jwt', RA),
      'spec.jwtRules[0].jwks', 'not valid JSON', 'or use jwksUri');
    const ecSet = JSON.stringify({ keys: [EC_PUBLIC] });
    expectAccepted(istio('RequestAuthentication', { jwtRules: [{ issuer: ISSUER, jwks: ecSet }] }, 'jwt', RA));
  });
});

describe('credentialName is a Secret reference, never a path or PEM text', () => {
  function httpsServer(tls: GatewayTls) {
    return { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, hosts: ['shop.example.com'], tls }] };
  }

  test.each([
    ['PEM certificate and key (simple)', () => GatewayTls.simple(PEM_CERT + PEM_KEY), 'the value is PEM text'],
    ['PEM private key (mutual)', () => GatewayTls.mutual(PEM_KEY), 'the value is PEM text'],
    ['an absolute path', () => GatewayTls.simple('/etc/istio/ingressgateway-certs/tls.crt'), 'is a file path or URL'],
    ['a relative path', () => GatewayTls.simple('./certs/shop.pem'), 'is a file path or URL'],
    ['a file name', () => GatewayTls.simple('shop.example.com.pem'), 'is a file path or URL'],
    ['a file URL', () => GatewayTls.simple('file:///etc/certs/shop.crt'), 'is a file path or URL'],
    ['an upper-case name', () => GatewayTls.simple('Shop_TLS'), 'is not a valid Secret name'],
    ['three segments', () => GatewayTls.simple('istio-system/certs/shop'), 'is not a Secret reference'],
    ['kubernetes-gateway:// without a namespace', () => GatewayTls.simple('kubernetes-gateway://shop-tls'),
      'kubernetes-gateway://<namespace>/<name>'],
    ['an invalid namespace', () => GatewayTls.simple('Istio System/shop-tls'), 'not a valid namespace name'],
  ])('Gateway: %s is refused with the kubectl fix', (_case, tls, says) => {
    const { chart } = newChart();
    const error = expectMeshError(() => new Gateway(chart, 'gw', httpsServer(tls())), 'test/gw', 'servers[0].tls.credentialName', says,
      'kubectl create -n istio-system secret tls <name> --cert=<cert file> --key=<key file>');
    expect(error.message).not.toContain('MII');
  });

  test.each([
    ['shop-tls'], ['shop.example.com-tls'], ['istio-system/shop-tls'], ['kubernetes://shop-tls'], ['kubernetes://istio-system/shop-tls'],
    ['kubernetes-gateway://istio-system/shop-tls'], ['builtin://'], ['shop-tls-cacert'],
  ])('Gateway: %p is accepted and written as given', name => {
    const { chart } = newChart();
    new Gateway(chart, 'gw', httpsServer(GatewayTls.mutual(name)));
    expect(findDoc(docsOf(chart), 'Gateway', 'gw').spec.servers[0].tls).toEqual({ mode: 'MUTUAL', credentialName: name });
  });

  test('DestinationRule client TLS: a PEM key or a path is refused with a fix for the client namespace', () => {
    const { chart } = newChart();
    const rule = (id: string, mode: ClientTlsMode, credentialName: string) =>
      new DestinationRule(chart, id, { host: 'payments', trafficPolicy: { tls: { mode, credentialName } } });
    expectMeshError(() => rule('dr', ClientTlsMode.MUTUAL, PEM_KEY),
      'test/dr', 'trafficPolicy.tls.credentialName', 'the value is PEM text', 'kubectl create -n shop secret generic <name>');
    expectMeshError(() => rule('dr2', ClientTlsMode.SIMPLE, '/etc/certs/ca.pem'),
      'test/dr2', 'trafficPolicy.tls.credentialName', 'is a file path');
    rule('dr3', ClientTlsMode.MUTUAL, 'payments-client');
    expect(findDoc(docsOf(chart), 'DestinationRule', 'dr3').spec.trafficPolicy.tls.credentialName).toBe('payments-client');
  });

  test('the document rule checks credentialName, credentialNames and caCertCredentialName of Gateway and DestinationRule documents', () => {
    const gateway = gatewayDoc([
      { mode: 'SIMPLE', credentialName: PEM_KEY },
      { mode: 'SIMPLE', credentialNames: ['good-tls', '/etc/x.pem'] },
    ]);
    expectProblemAt(gateway, 'spec.servers[0].tls.credentialName', 'the value is PEM text',
      'kubectl create -n istio-system secret tls <name>');
    expectProblemAt(gateway, 'spec.servers[1].tls.credentialNames[1]', 'is a file path', 'kubectl create');
    expect(admissionProblems(gateway).filter(p => p.path.startsWith('spec.servers[0].tls'))).toHaveLength(1);
    const rule = (tls: Record<string, string>) => istio('DestinationRule', { host: 'payments', trafficPolicy: { tls } });
    expectProblemAt(rule({ mode: 'SIMPLE', caCertCredentialName: 'ca cert' }), 'spec.trafficPolicy.tls.caCertCredentialName',
      'is not a valid Secret name', 'kubectl create -n shop secret generic');
    expectAccepted(rule({ mode: 'MUTUAL', credentialName: 'kubernetes://payments-client' }));
  });

  test('a PEM private key in any string field of a Gateway, DestinationRule or ServiceEntry document is refused', () => {
    const entry = istio('ServiceEntry', {
      hosts: ['api.example.com'],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      resolution: 'DNS',
      endpoints: [{ address: 'api.example.com', labels: { key: PEM_KEY } }],
    });
    expectProblemAt(entry, 'spec.endpoints[0].labels.key', 'holds a PEM private key', 'keep keys in Secrets');
    const gateway = gatewayDoc([{ mode: 'SIMPLE', privateKey: PEM_KEY, serverCertificate: PEM_CERT }]);
    expectProblemAt(gateway, 'spec.servers[0].tls.privateKey', 'holds a PEM private key', 'kubectl create');
    expect(admissionProblems(gateway).map(p => p.message).join('\n')).not.toContain('MIIE');
    expectAccepted(gatewayDoc([{ mode: 'SIMPLE', privateKey: '/etc/certs/key.pem', serverCertificate: '/etc/certs/cert.pem' }]));
  });
});

describe('secret material fails the synth before anything is written', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-material-'));
    fs.writeFileSync(path.join(outdir, 'previous.yaml'), 'kept: true\n');
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('a raw RequestAuthentication with an escaped private member names the construct, the field and the fix', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'raw-jwt', {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'raw-jwt' },
      spec: { jwtRules: [{ issuer: ISSUER, jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","\\u0064":"secret"}]}' }] },
    });
    expect(() => writeManifests(app, { outdir }))
      .toThrow(/\[0\]\.jwks: key 0 of the key set contains private key material[\s\S]*Fix: inline only public keys[\s\S]*shop\/raw-jwt/);
    expect(fs.readdirSync(outdir)).toEqual(['previous.yaml']);
  });
});
