import { imageProblem, isEnvVarName } from '../../lib/core/containers';
import { isDnsLabel, isIanaSvcName, isIstioWildcardDomain } from '../../lib/core/dns';
import { isLabelKey, isLabelValue } from '../../lib/core/labels';
import { isCidr, isIpAddress, isIpOrCidr, isPortNumber } from '../../lib/core/network';
import { isNamespaceMatch, isPrincipal, isTrustDomain } from '../../lib/core/principals';
import { isQuantity, quantityValue } from '../../lib/core/quantity';
import { isRe2, re2Problem } from '../../lib/core/regex';
import { invalidRetryOn, isRetryOn } from '../../lib/core/retry-on';

// The shared predicates behind both the construct checks and the document rules.
describe('validation predicates', () => {
  test.each([
    ['isPortNumber', isPortNumber, [1, 8080, 65535], [0, -1, 65536, 80.5, '80']],
    ['isDnsLabel', isDnsLabel, ['shop', 'a-1', '1a'], ['Shop', 'a_b', 'a.b', '-a', 'a'.repeat(64), '']],
    ['isIanaSvcName', isIanaSvcName, ['http', 'grpc-api', 'h2c'], ['8080', 'a--b', 'http-metrics-port', 'HTTP']],
    ['isIstioWildcardDomain', isIstioWildcardDomain, ['a', 'shop.example.com', '*.example.com', '*', '*-x.example.com', 'example.com.'],
      ['https://a', 'a/b', 'a:80', 'a.*.com', 'a.123', '']],
    ['isLabelKey', isLabelKey, ['app', 'app.kubernetes.io/name', 'istio.io/rev', 'A_b'], ['', '/a', 'a/', 'Bad Key', 'a/b/c', `${'a'.repeat(64)}`]],
    ['isLabelValue', isLabelValue, ['', 'v1', 'a.b_c-D'], ['my app', '-a', 'a'.repeat(64)]],
    ['isIpAddress', isIpAddress, ['10.0.0.7', '::1', '2001:db8::1', '::ffff:10.0.0.1', 'fe80::1%eth0'], ['10.0.0', '256.0.0.1', '01.2.3.4', 'not-an-ip', '1::2::3']],
    ['isCidr', isCidr, ['10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0'], ['10.0.0.0/33', '10.0.0.0', '::/129', '10.0.0.0/08']],
    ['isIpOrCidr', isIpOrCidr, ['10.0.0.7', '10.0.0.0/24'], ['example.com', '']],
    ['isQuantity', isQuantity, ['100m', '0.5', '128Mi', '1e3', '1Gi', '-1Gi', '.5', '10n'], ['lots', '1GB', '1 Gi', '']],
    ['isRe2', isRe2, ['^/api/.*$', '(?P<n>x)', '(?i)abc', '[[:alpha:]]+'], ['(?=x)', '(a)\\1', '(abc', '\\Z', 'a'.repeat(1025)]],
    ['isRetryOn', isRetryOn, ['5xx', 'gateway-error', 'reset-before-request', 'http3-post-connect-failure', 'unavailable', '503', '429'], ['oops', ' 5xx', '5XX', '599', '']],
    ['isEnvVarName', isEnvVarName, ['DB_HOST', 'a.b-c', '_X', '-x'], ['DB=HOST', '1X', 'A B', '']],
    ['isTrustDomain', isTrustDomain, ['cluster.local', 'example.org', 'istio.io.'], ['cluster local', '', '.a']],
    ['isPrincipal', isPrincipal, ['cluster.local/ns/shop/sa/orders', '*', 'cluster.local/*', '*/sa/orders'], ['orders', 'cluster.local/ns/shop/orders', '*a*', 'cluster.local/ns/Shop/sa/x']],
    ['isNamespaceMatch', isNamespaceMatch, ['shop', '*', 'shop-*', '*-prod'], ['Not A Namespace', '**', 'a*b', '']],
  ] as Array<[string, (v: any) => boolean, unknown[], unknown[]]>)('%s', (_name, predicate, valid, invalid) => {
    for (const v of valid) expect([v, predicate(v)]).toEqual([v, true]);
    for (const v of invalid) expect([v, predicate(v)]).toEqual([v, false]);
  });

  test('quantities compare by value', () => {
    expect(quantityValue('500m')).toBeCloseTo(0.5);
    expect(quantityValue('1Gi')).toBe(1073741824);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('x')).toBeUndefined();
  });

  test('RE2 problems say why, and the verdict is cached by pattern', () => {
    expect(re2Problem('(?=x)')).toContain('invalid or unsupported Perl syntax');
    expect(re2Problem('(?=x)')).toBe(re2Problem('(?=x)'));
    expect(re2Problem('é'.repeat(600))).toContain('1200 bytes long');
  });

  test('retryOn lists report each bad entry, spaces included', () => {
    expect(invalidRetryOn('5xx,oops, reset,503')).toEqual(['oops', ' reset']);
  });

  test('image references: registry with port, tag and digest valid; spaces and upper-case repositories not', () => {
    expect(imageProblem('registry:5000/org/app:tag@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(imageProblem('Registry.Example.com/org/app')).toBeUndefined();
    expect(imageProblem('Bad Image')).toContain('whitespace');
    expect(imageProblem('org/App')).toContain('upper case');
    expect(imageProblem('app:')).toContain('malformed tag');
    expect(imageProblem('')).toContain('empty');
  });
});
