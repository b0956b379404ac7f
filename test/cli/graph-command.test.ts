import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-graph-cli-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Runs the real command (`node bin/cdk8s-istio.js graph …`) in the repository. */
function graph(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'graph', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cdk8s-istio graph', () => {
  test('writes one HTML file for the manifests and says what it holds', () => {
    const out = path.join(DIR, 'mesh.html');
    expect(graph('dist/bookinfo-secure', '-o', out)).toEqual({ code: 0, err: '', out: `Wrote ${out}: 1 namespace(s), 4 service(s), 21 edge(s).\n` });
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>Mesh of dist/bookinfo-secure</title>');
    expect(html).toContain('data-id="svc:bookinfo/reviews"');
  });

  test('bad usage and unreadable input: exit 2 with the reason', () => {
    fs.writeFileSync(path.join(DIR, 'broken.yaml'), 'kind: [');
    const cases = [graph(), graph(path.join(DIR, 'broken.yaml')), graph('dist/bookinfo', '-o', path.join(DIR, 'missing', 'mesh.html')), graph('--bogus')];
    expect(cases.map(c => c.code)).toEqual([2, 2, 2, 2]);
    // A note about subfolders not read may come first (dist/bookinfo has scenarios/).
    expect(cases.map(c => c.err.split('\n').filter(l => !l.startsWith('Note: '))[0])).toEqual([
      'no files or directories given',
      expect.stringMatching(/^Error: .*broken\.yaml:2:1: invalid YAML/),
      expect.stringMatching(/^Error: .*mesh\.html: its folder does not exist/),
      expect.stringMatching(/^Unknown option '--bogus'/),
    ]);
  });
});
