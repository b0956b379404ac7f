import { Chart } from 'cdk8s';
import { Destination, HttpMatch, StringMatch, VirtualService } from '../../lib';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

/** Renders `matches` as the match list of one route of a VirtualService in a fresh chart. */
function render(...matches: HttpMatch[]): unknown[] {
  const { chart } = newChart();
  new VirtualService(chart, 'vs', { hosts: ['httpbin'], http: [{ match: matches, to: [Destination.toHost('httpbin')] }] });
  return findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http[0].match;
}

function addRoute(chart: Chart, ...matches: HttpMatch[]): void {
  new VirtualService(chart, 'vs', { hosts: ['httpbin'], http: [{ to: [Destination.toHost('httpbin')] }, { match: matches, to: [Destination.toHost('httpbin')] }] });
}

describe('StringMatch and HttpMatch rendering', () => {
  test('URI matches: exact, prefix, regex and uri(StringMatch)', () => {
    expect(render(
      HttpMatch.exact('/productpage'),
      HttpMatch.prefix('/api/v1/products'),
      HttpMatch.regex('^/static/.*\\.css$'),
      HttpMatch.uri(StringMatch.prefix('/login')),
    )).toEqual([
      { uri: { exact: '/productpage' } },
      { uri: { prefix: '/api/v1/products' } },
      { uri: { regex: '^/static/.*\\.css$' } },
      { uri: { prefix: '/login' } },
    ]);
  });

  test('header names are lower-cased, methods upper-cased', () => {
    expect(render(HttpMatch.header('End-User', StringMatch.exact('jason')), HttpMatch.method('get'))).toEqual([
      { headers: { 'end-user': { exact: 'jason' } } },
      { method: { exact: 'GET' } },
    ]);
  });

  test('query parameters, port and source labels', () => {
    expect(render(
      HttpMatch.queryParam('debug', StringMatch.exact('true')),
      HttpMatch.port(8080),
      HttpMatch.sourceLabels({ app: 'productpage', version: 'v2' }),
    )).toEqual([
      { queryParams: { debug: { exact: 'true' } } },
      { port: 8080 },
      { sourceLabels: { app: 'productpage', version: 'v2' } },
    ]);
  });

  test('several matches of one route stay separate (any one applies)', () => {
    expect(render(HttpMatch.prefix('/a'), HttpMatch.prefix('/b'))).toHaveLength(2);
  });
});

describe('HttpMatch.and', () => {
  test('combines different fields into one match', () => {
    expect(render(HttpMatch.prefix('/reviews').and(HttpMatch.method('POST')).and(HttpMatch.port(9080)))).toEqual([
      { uri: { prefix: '/reviews' }, method: { exact: 'POST' }, port: 9080 },
    ]);
  });

  test('merges headers, query parameters and source labels', () => {
    const match = HttpMatch.header('end-user', StringMatch.exact('jason'))
      .and(HttpMatch.header('x-canary', StringMatch.regex('^(1|true)$')))
      .and(HttpMatch.queryParam('a', StringMatch.exact('1')))
      .and(HttpMatch.queryParam('b', StringMatch.exact('2')))
      .and(HttpMatch.sourceLabels({ app: 'productpage' }))
      .and(HttpMatch.sourceLabels({ version: 'v1' }))
      .and(HttpMatch.exact('/productpage'));
    expect(render(match)).toEqual([{
      headers: { 'end-user': { exact: 'jason' }, 'x-canary': { regex: '^(1|true)$' } },
      queryParams: { a: { exact: '1' }, b: { exact: '2' } },
      sourceLabels: { app: 'productpage', version: 'v1' },
      uri: { exact: '/productpage' },
    }]);
  });

  test('does not change the matches it combines', () => {
    const a = HttpMatch.header('a', StringMatch.exact('1'));
    const b = HttpMatch.header('b', StringMatch.exact('2'));
    a.and(b);
    expect(render(a, b)).toEqual([{ headers: { a: { exact: '1' } } }, { headers: { b: { exact: '2' } } }]);
  });

  test('a conflicting uri is reported with the field path of the match', () => {
    const { chart } = newChart();
    expectMeshError(() => addRoute(chart, HttpMatch.prefix('/ok'), HttpMatch.prefix('/a').and(HttpMatch.exact('/b'))),
      'test/vs', 'http[1].match[1].uri', 'constrains uri twice', 'separate matches');
  });

  test('a conflicting method is reported', () => {
    const { chart } = newChart();
    expectMeshError(() => addRoute(chart, HttpMatch.method('GET').and(HttpMatch.method('POST'))),
      'test/vs', 'http[1].match[0].method', 'constrains method twice');
  });

  test('a conflicting port is reported, also through a nested and()', () => {
    const { chart } = newChart();
    const inner = HttpMatch.port(80).and(HttpMatch.port(8080));
    expectMeshError(() => addRoute(chart, HttpMatch.prefix('/').and(inner)),
      'test/vs', 'http[1].match[0].port', 'constrains port twice');
  });

  // A header constrained twice differently would otherwise silently keep only one condition.
  test('the same header with two different conditions is reported as a conflict', () => {
    const { chart } = newChart();
    expectMeshError(
      () => addRoute(chart, HttpMatch.header('end-user', StringMatch.exact('jason')).and(HttpMatch.header('End-User', StringMatch.exact('mary')))),
      'test/vs', 'http[1].match[0].headers.end-user', 'twice',
    );
  });
});
