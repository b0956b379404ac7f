import { AuthorizationAction, MeshConfigError, RequestAuthentication } from '../../lib';
import { Doc, docsOf, expectMeshError, expectSchemaValid, findDoc, ofKind, service, newChart, validationProblems } from '../support/constructs';

const ISSUER = 'https://accounts.example.com';
const JWKS_URI = 'https://accounts.example.com/.well-known/jwks.json';
const PUBLIC_JWKS = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1Wl', e: 'AQAB' }] });

describe('RequestAuthentication rendering', () => {
  test('jwtRules render issuer, jwksUri, audiences, forwardOriginalToken, fromHeaders and outputClaimToHeaders', () => {
    const { chart } = newChart();
    const frontend = service(chart, 'frontend');
    const ra = new RequestAuthentication(chart, 'frontend-jwt', {
      selector: frontend,
      jwtRules: [{
        issuer: ISSUER,
        jwksUri: JWKS_URI,
        audiences: ['shop-api', 'shop-web'],
        forwardOriginalToken: true,
        fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }, { name: 'x-jwt' }],
        outputClaimToHeaders: { 'x-user-id': 'sub', 'x-tenant': 'tenant' },
      }],
    });
    expect(ra.name).toBe('frontend-jwt');
    const doc = findDoc(docsOf(chart), 'RequestAuthentication', 'frontend-jwt');
    expect(doc.apiVersion).toBe('security.istio.io/v1');
    expect(doc.metadata).toEqual({ name: 'frontend-jwt', namespace: 'shop' });
    expect(doc.spec).toEqual({
      selector: { matchLabels: { app: 'frontend' } },
      jwtRules: [{
        issuer: ISSUER,
        jwksUri: JWKS_URI,
        audiences: ['shop-api', 'shop-web'],
        forwardOriginalToken: true,
        fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }, { name: 'x-jwt' }],
        outputClaimToHeaders: [{ header: 'x-user-id', claim: 'sub' }, { header: 'x-tenant', claim: 'tenant' }],
      }],
    });
  });

  test('a minimal rule renders only the issuer; no selector means namespace-wide; name override', () => {
    const { chart } = newChart();
    new RequestAuthentication(chart, 'Jwt', { name: 'namespace-jwt', jwtRules: [{ issuer: ISSUER }] });
    expect(findDoc(docsOf(chart), 'RequestAuthentication', 'namespace-jwt').spec).toEqual({ jwtRules: [{ issuer: ISSUER }] });
  });

  test('forwardOriginalToken: false is kept, several issuers keep their order, inline public jwks is accepted', () => {
    const { chart } = newChart();
    new RequestAuthentication(chart, 'jwt', {
      jwtRules: [
        { issuer: 'issuer-a', jwks: PUBLIC_JWKS, forwardOriginalToken: false },
        { issuer: 'issuer-b', jwksUri: 'http://keys.internal:8080/jwks' },
      ],
    });
    expect(findDoc(docsOf(chart), 'RequestAuthentication', 'jwt').spec.jwtRules).toEqual([
      { issuer: 'issuer-a', jwks: PUBLIC_JWKS, forwardOriginalToken: false },
      { issuer: 'issuer-b', jwksUri: 'http://keys.internal:8080/jwks' },
    ]);
  });

  test('labels are accepted as the selector', () => {
    const { chart } = newChart();
    new RequestAuthentication(chart, 'jwt', { selector: { istio: 'ingressgateway' }, jwtRules: [{ issuer: ISSUER }] });
    expect(findDoc(docsOf(chart), 'RequestAuthentication', 'jwt').spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
  });
});

describe('RequestAuthentication.requireJwt', () => {
  function denyPolicies(docs: Doc[]): Doc[] {
    return ofKind(docs, 'AuthorizationPolicy');
  }

  test('emits a DENY policy for requests without a request principal, with the same selector', () => {
    const { app, chart } = newChart();
    const frontend = service(chart, 'frontend');
    const ra = new RequestAuthentication(chart, 'frontend-jwt', { selector: frontend, jwtRules: [{ issuer: ISSUER, jwksUri: JWKS_URI }] });
    const policy = ra.requireJwt();
    expect(policy.name).toBe('frontend-jwt-require-jwt');
    expect(policy.action).toBe(AuthorizationAction.DENY);
    expect(validationProblems(app)).toEqual([]);
    const docs = docsOf(chart);
    expect(denyPolicies(docs)).toHaveLength(1);
    const doc = findDoc(docs, 'AuthorizationPolicy', 'frontend-jwt-require-jwt');
    expect(doc.metadata.namespace).toBe('shop');
    expect(doc.spec).toEqual({
      selector: { matchLabels: { app: 'frontend' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }],
    });
    expect(doc.spec.selector).toEqual(findDoc(docs, 'RequestAuthentication', 'frontend-jwt').spec.selector);
  });

  test('paths become to.operation.paths; the name can be set', () => {
    const { chart } = newChart();
    const ra = new RequestAuthentication(chart, 'jwt', { selector: { app: 'api' }, jwtRules: [{ issuer: ISSUER }] });
    ra.requireJwt({ name: 'api-needs-token', paths: ['/api/*', '/admin'] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'api-needs-token').spec).toEqual({
      selector: { matchLabels: { app: 'api' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*', '/admin'] } }] }],
    });
  });

  test('hosts become to.operation.hosts; without a selector the policy is namespace-wide', () => {
    const { chart } = newChart();
    const ra = new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER }] });
    ra.requireJwt({ hosts: ['api.example.com'], paths: ['/v1/*'] });
    expect(findDoc(docsOf(chart), 'AuthorizationPolicy', 'jwt-require-jwt').spec).toEqual({
      action: 'DENY',
      rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/v1/*'], hosts: ['api.example.com'] } }] }],
    });
  });

  test('two named requireJwt() calls give two policies', () => {
    const { chart } = newChart();
    const ra = new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER }] });
    ra.requireJwt({ name: 'jwt-api', paths: ['/api/*'] });
    ra.requireJwt({ name: 'jwt-admin', paths: ['/admin/*'] });
    expect(denyPolicies(docsOf(chart)).map(d => d.metadata.name)).toEqual(['jwt-api', 'jwt-admin']);
  });

  test('two unnamed requireJwt() calls do not emit two policies with the same name', () => {
    const { chart } = newChart();
    const ra = new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER }] });
    ra.requireJwt({ paths: ['/api/*'] });
    try {
      ra.requireJwt({ paths: ['/admin/*'] });
    } catch (e) {
      expect(e).toBeInstanceOf(MeshConfigError);
      expect((e as MeshConfigError).message).toContain('Fix:');
      return;
    }
    const names = denyPolicies(docsOf(chart)).map(d => d.metadata.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('RequestAuthentication errors', () => {
  test('empty jwtRules', () => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { jwtRules: [] }), 'test/jwt', 'jwtRules', 'at least one JWT rule');
  });

  test('an empty issuer', () => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER }, { issuer: '' }] }),
      'test/jwt', 'jwtRules[1].issuer', 'the issuer is empty');
  });

  test('jwks together with jwksUri', () => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER, jwks: PUBLIC_JWKS, jwksUri: JWKS_URI }] }),
      'test/jwt', 'jwtRules[0].jwks', 'jwks and jwksUri cannot both be set');
  });

  test.each(['ftp://keys.example.com/jwks', 'keys.example.com/jwks', 'https://', 'file:///etc/jwks.json', ''])('a non-http(s) jwksUri %p', uri => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER, jwksUri: uri }] }),
      'test/jwt', 'jwtRules[0].jwksUri', 'is not an http(s) URL');
  });

  test.each([
    ['an RSA JWK with "d"', JSON.stringify({ keys: [{ kty: 'RSA', n: 'abc', e: 'AQAB', d: 'secret' }] })],
    ['an EC JWK with "d" and spaces', '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d" : "secret"}]}'],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'],
  ])('private key material in jwks: %s', (_name, jwks) => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { jwtRules: [{ issuer: ISSUER, jwks }] }),
      'test/jwt', 'jwtRules[0].jwks', 'private key material');
  });

  test('an invalid name', () => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'Jwt', { jwtRules: [{ issuer: ISSUER }] }), 'test/Jwt', 'name', '"Jwt"');
  });

  test('a wildcard selector', () => {
    const { chart } = newChart();
    expectMeshError(() => new RequestAuthentication(chart, 'jwt', { selector: { app: 'front*' }, jwtRules: [{ issuer: ISSUER }] }),
      'test/jwt', 'selector.app', 'wildcards');
  });
});

describe('RequestAuthentication schema', () => {
  test('representative RequestAuthentications and requireJwt policies are valid against the CRDs (with CEL)', () => {
    const { chart } = newChart();
    const frontend = service(chart, 'frontend');
    const ra = new RequestAuthentication(chart, 'frontend-jwt', {
      selector: frontend,
      jwtRules: [
        {
          issuer: ISSUER,
          jwksUri: JWKS_URI,
          audiences: ['shop-api'],
          forwardOriginalToken: true,
          fromHeaders: [{ name: 'Authorization', prefix: 'Bearer ' }],
          outputClaimToHeaders: { 'x-user-id': 'sub' },
        },
        { issuer: 'issuer-b', jwks: PUBLIC_JWKS },
      ],
    });
    ra.requireJwt();
    ra.requireJwt({ name: 'frontend-admin-jwt', paths: ['/admin/*'], hosts: ['shop.example.com'] });
    new RequestAuthentication(chart, 'namespace-jwt', { jwtRules: [{ issuer: ISSUER }] });
    expectSchemaValid(docsOf(chart));
  });
});
