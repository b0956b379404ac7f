import { Duration } from 'cdk8s';
import { CorsPolicy, MeshService, StringMatch, VirtualService } from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

/** A VirtualService `vs` of `web` with one route carrying `corsPolicy`; returns its rendered route or throws. */
function routeWith(corsPolicy: CorsPolicy): any {
  const { chart } = newChart();
  const svc = new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'web:1' } } });
  new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], corsPolicy }] });
  return findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http[0];
}

describe('CORS policy', () => {
  test('every field renders as Istio names it; maxAge in seconds', () => {
    const route = routeWith({
      allowOrigins: [StringMatch.exact('https://shop.example.com'), StringMatch.prefix('https://dev-'), StringMatch.regex('https://.*\\.example\\.org')],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-grpc-web'],
      exposeHeaders: ['grpc-status', 'grpc-message'],
      maxAge: Duration.hours(24),
      allowCredentials: true,
    });
    expect(route.corsPolicy).toEqual({
      allowOrigins: [{ exact: 'https://shop.example.com' }, { prefix: 'https://dev-' }, { regex: 'https://.*\\.example\\.org' }],
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-grpc-web'],
      exposeHeaders: ['grpc-status', 'grpc-message'],
      maxAge: '86400s',
      allowCredentials: true,
    });
  });

  test('only origins: no other key is written; "*" is a valid header list entry', () => {
    expect(routeWith({ allowOrigins: [StringMatch.exact('https://a.example.com')] }).corsPolicy)
      .toEqual({ allowOrigins: [{ exact: 'https://a.example.com' }] });
    expect(routeWith({ allowOrigins: [StringMatch.prefix('https://')], allowHeaders: ['*'] }).corsPolicy.allowHeaders).toEqual(['*']);
  });

  test('allowCredentials false is written as false', () => {
    expect(routeWith({ allowOrigins: [StringMatch.exact('https://a.example.com')], allowCredentials: false }).corsPolicy.allowCredentials).toBe(false);
  });

  test('no origins', () => {
    expectMeshError(() => routeWith({ allowOrigins: [] }), 'test/vs', 'http[0].corsPolicy.allowOrigins',
      'allows no cross-origin request', "StringMatch.exact('https://shop.example.com')");
  });

  test('an empty origin', () => {
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.exact('https://a.example.com'), StringMatch.prefix('')] }),
      'test/vs', 'http[0].corsPolicy.allowOrigins[1]', 'the origin match is empty');
  });

  test('an origin regex that is not RE2', () => {
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.regex('https://(?!evil).*')] }),
      'test/vs', 'http[0].corsPolicy.allowOrigins[0].regex', 'RE2');
  });

  test('a method Istio does not know, or in lower case', () => {
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.prefix('https://')], allowMethods: ['GET', 'get'] }),
      'test/vs', 'http[0].corsPolicy.allowMethods[1]', '"get" is not an HTTP method Istio accepts', 'GET, HEAD, POST, PUT, PATCH, DELETE');
  });

  test('a header that is not a token', () => {
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.prefix('https://')], exposeHeaders: ['grpc status'] }),
      'test/vs', 'http[0].corsPolicy.exposeHeaders[0]', '"grpc status" is not an HTTP header name');
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.prefix('https://')], allowHeaders: [''] }),
      'test/vs', 'http[0].corsPolicy.allowHeaders[0]', 'the header name is empty');
  });

  test('maxAge finer than seconds', () => {
    expectMeshError(() => routeWith({ allowOrigins: [StringMatch.prefix('https://')], maxAge: Duration.millis(1500) }),
      'test/vs', 'http[0].corsPolicy.maxAge', '1.5s is not a whole number of seconds', 'Duration.seconds(600)');
  });
});
