import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { temporaryFolder } from '../support/temporary-folders';

/**
 * `cdk8s-istio test`, run as the real command (`node bin/cdk8s-istio.js test …`) on route test
 * cases written in getyourguide/istio-config-validator's testCases format.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CASES = path.join(ROOT, 'test', 'fixtures', 'route-cases');

function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'test', ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cdk8s-istio test', () => {
  test('exit 0 and one line per case when every case passes: redirect, weighted route, rewrite, fault, headers, wantMatch false', () => {
    const r = cli(path.join(CASES, 'shop', 'virtualservices.yaml'), '--cases', path.join(CASES, 'shop'));
    expect(r).toEqual({ code: 0, err: '', out: expect.stringContaining('\u2714 the old API is redirected permanently to /v2/ (8 requests)\n') });
    expect(r.out.split('\n').filter(l => l.startsWith('\u2714'))).toHaveLength(7);
    expect(r.out).toContain('Test summary: 1 test file, 1 manifest file; 7 test cases with 20 requests: 7 passed, 0 failed\n');
  });

  test('delegate VirtualServices: routes and headers of the delegate\'s rules, and the delegate itself', () => {
    const r = cli(path.join(CASES, 'delegate', 'virtualservices.yaml'), '-t', path.join(CASES, 'delegate', 'tests.yml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('4 test cases with 8 requests: 4 passed, 0 failed');
  });

  test('exit 1 with each failing request, the rule it matched, and what differed', () => {
    const r = cli(path.join(CASES, 'delegate', 'virtualservices.yaml'), '--cases', path.join(CASES, 'failing', 'tests.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toContain([
      `\u2718 invoices go to the billing service: 1 of 1 request failed (${path.join(CASES, 'failing', 'tests.yaml')})`,
      '    GET portal.example.org /billing/invoices: matched billing/billing-routes http[0]',
      '      route: got [{"destination":{"host":"invoices","port":{"number":80}}}], want [{"destination":{"host":"billing"}}]',
      '\u2714 billing plans are rewritten to / (1 request)',
    ].join('\n'));
    expect(r.out).toContain('2 test cases with 2 requests: 1 passed, 1 failed');
  });

  test('Bookinfo: the reviews-test-v2 scenario applied on the base app passes; the base app alone fails (jason gets v1)', () => {
    const cases = path.join(CASES, 'bookinfo');
    const base = path.join(ROOT, 'dist', 'bookinfo', 'bookinfo.yaml');
    const scenario = path.join(ROOT, 'dist', 'bookinfo', 'scenarios', 'virtual-service-reviews-test-v2.yaml');
    expect(cli(base, scenario, '--cases', cases).code).toBe(0);
    const alone = cli(base, '--cases', cases, '--output', 'json');
    expect(alone.code).toBe(1);
    const report = JSON.parse(alone.out);
    expect(report.summary).toEqual({ testFiles: 1, manifestFiles: 1, cases: 3, failedCases: 1, requests: 5, failedRequests: 3 });
    expect(report.cases[0].inputs[0]).toMatchObject({
      passed: false,
      matched: 'bookinfo/reviews http[0]',
      failures: [{ field: 'route', got: [{ destination: { host: 'reviews', subset: 'v1' } }], wantMatch: true }],
    });
  });

  test('several case files after one --cases, and options after them', () => {
    const r = cli(path.join(CASES, 'delegate', 'virtualservices.yaml'), '--cases', path.join(CASES, 'delegate', 'tests.yml'),
      path.join(CASES, 'failing', 'tests.yaml'), '-o', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).summary).toMatchObject({ testFiles: 2, cases: 6, failedCases: 1 });
  });

  test('exit 2, with the file and the fix, for bad usage and unreadable cases', () => {
    const dir = temporaryFolder('cdk8s-istio-test-');
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const vs = path.join(CASES, 'shop', 'virtualservices.yaml');
    const noMethod = write('no-method.yaml', 'testCases:\n- description: d\n  request: {authority: [a], method: [], uri: [/]}\n');
    const badYaml = write('bad.yaml', 'testCases:\n  - description: [\n');
    const none = write('none.yaml', 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n');
    expect(cli(vs)).toMatchObject({ code: 2, err: expect.stringContaining('no test cases given (--cases <file|dir>...)') });
    expect(cli('--cases', noMethod)).toMatchObject({ code: 2, err: expect.stringContaining('no manifest files or directories given') });
    expect(cli(vs, '--cases', noMethod)).toMatchObject({
      code: 2, err: `Error: ${noMethod}: test case "d": request.method is empty. Fix: list at least one method\n`,
    });
    expect(cli(vs, '--cases', badYaml)).toMatchObject({ code: 2, err: expect.stringMatching(/^Error: .*bad\.yaml:3:\d+: invalid YAML/) });
    expect(cli(vs, '--cases', none)).toMatchObject({ code: 2, err: `Error: no testCases in ${none}\n` });
    expect(cli(vs, '--cases', path.join(dir, 'missing.yaml'))).toMatchObject({ code: 2, err: expect.stringContaining('no such file or directory') });
    expect(cli(vs, '--cases', noMethod, '--output', 'xml')).toMatchObject({ code: 2, err: expect.stringContaining('unknown output "xml"') });
  });
});
