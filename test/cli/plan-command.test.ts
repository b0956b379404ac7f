import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifests } from '../../lib/analysis/read-manifests';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-istio.js');
const BOOKINFO = path.join(ROOT, 'dist', 'bookinfo');
const TEMP_DIRS: string[] = [];
afterAll(() => TEMP_DIRS.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

/** Runs the real command (`node bin/cdk8s-istio.js plan …`) in `cwd`. */
function plan(cwd: string, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, 'plan', ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A temporary folder with `old/` (Bookinfo's base app) and `new/` (the base with the scenario files applied on top). */
function workspace(...scenarios: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-plan-'));
  TEMP_DIRS.push(dir);
  for (const side of ['old', 'new']) fs.mkdirSync(path.join(dir, side));
  fs.copyFileSync(path.join(BOOKINFO, 'bookinfo.yaml'), path.join(dir, 'old', 'bookinfo.yaml'));
  fs.copyFileSync(path.join(BOOKINFO, 'bookinfo.yaml'), path.join(dir, 'new', 'bookinfo.yaml'));
  scenarios.forEach((s, i) => fs.copyFileSync(path.join(BOOKINFO, 'scenarios', `${s}.yaml`), path.join(dir, 'new', `z${i}-${s}.yaml`)));
  return dir;
}

/** kind/name of each object of a written file. */
function objects(file: string): string[] {
  return readManifests(file).map(i => `${i.doc.kind}/${i.doc.metadata.name}`);
}

describe('cdk8s-istio plan', () => {
  test('prints the phases; --out writes them as ordered files and says how to apply them', () => {
    const dir = workspace('egress-rule-google-apis');
    const result = plan(dir, 'old', 'new', '--out', 'plan');
    expect(result).toEqual({ code: 0, err: '', out: expect.any(String) });
    expect(result.out).toContain('3 action(s) in 3 phase(s), 25 object(s) unchanged:');
    expect(result.out).toMatch(/Phase 1\/3 workloads: .*\n {2}create {2}ServiceEntry bookinfo\/googleapis {2}new\n/);
    expect(result.out).toMatch(/Phase 3\/3 routes: .*\n {2}create {2}VirtualService bookinfo\/rewrite-port-for-googleapis {2}routes to www.googleapis.com\n/);
    expect(fs.readdirSync(path.join(dir, 'plan'))).toEqual(['1-workloads.yaml', '2-destinations.yaml', '3-routes.yaml']);
    expect(objects(path.join(dir, 'plan', '2-destinations.yaml'))).toEqual(['DestinationRule/originate-tls-for-googleapis']);
    expect(result.out).toContain([
      '  kubectl apply -f plan/1-workloads.yaml',
      '  istioctl proxy-status   # until every proxy is SYNCED',
      '  kubectl apply -f plan/2-destinations.yaml',
      '  istioctl proxy-status   # until every proxy is SYNCED',
      '  kubectl apply -f plan/3-routes.yaml',
    ].join('\n'));
  });

  test('removals: deletions go to their own files, VirtualServices before what they routed to', () => {
    const dir = workspace();
    fs.copyFileSync(path.join(BOOKINFO, 'scenarios', 'egress-rule-google-apis.yaml'), path.join(dir, 'old', 'egress.yaml'));
    const result = plan(dir, 'old', 'new', '--out', 'plan', '--output', 'json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out);
    expect(json).toEqual(expect.objectContaining({ commits: 2, unchanged: 25, files: ['plan/1-routes.delete.yaml', 'plan/2-cleanup.delete.yaml'] }));
    expect(json.phases.map((p: { name: string; actions: { action: string; kind: string }[] }) => [p.name, p.actions.map(a => `${a.action} ${a.kind}`)]))
      .toEqual([['routes', ['delete VirtualService']], ['cleanup', ['delete ServiceEntry', 'delete DestinationRule']]]);
    expect(json.steps).toEqual(['kubectl delete --ignore-not-found -f plan/1-routes.delete.yaml', 'istioctl proxy-status   # until every proxy is SYNCED',
      'kubectl delete --ignore-not-found -f plan/2-cleanup.delete.yaml']);
  });

  test('--argocd writes each commit with sync waves', () => {
    const dir = workspace('virtual-service-reviews-v3');
    const result = plan(dir, 'old', 'new', '--out', 'argo', '--argocd');
    expect(result.code).toBe(0);
    const docs = readManifests(path.join(dir, 'argo', 'commit-1', 'manifests.yaml')).map(i => i.doc);
    expect(docs).toHaveLength(25);
    const wave = (kind: string) => [...new Set(docs.filter(d => d.kind === kind).map(d => d.metadata.annotations['argocd.argoproj.io/sync-wave']))];
    expect([wave('Deployment'), wave('DestinationRule'), wave('VirtualService')]).toEqual([['0'], ['1'], ['2']]);
    expect(docs.find(d => d.kind === 'VirtualService' && d.metadata.name === 'reviews')!.spec.http[0].route[0].destination.subset).toBe('v3');
    expect(result.out).toContain('commit argo/commit-1/manifests.yaml as the Application\'s manifests and sync');
  });

  test('--flux writes Kustomizations chained by dependsOn and a folder per phase', () => {
    const dir = workspace('virtual-service-reviews-v3');
    const result = plan(dir, 'old', 'new', '--out', 'flux', '--flux', '--flux-path', './clusters/prod/bookinfo');
    expect(result.code).toBe(0);
    const kustomizations = readManifests(path.join(dir, 'flux', 'kustomizations.yaml')).map(i => i.doc);
    expect(kustomizations.map(k => [k.metadata.name, k.spec.path, k.spec.dependsOn ?? []])).toEqual([
      ['new-workloads', './clusters/prod/bookinfo/workloads', []],
      ['new-destinations', './clusters/prod/bookinfo/destinations', [{ name: 'new-workloads' }]],
      ['new-routes', './clusters/prod/bookinfo/routes', [{ name: 'new-destinations' }]],
    ]);
    expect(objects(path.join(dir, 'flux', 'commit-1', 'routes', 'manifests.yaml'))).toEqual([
      'VirtualService/bookinfo', 'VirtualService/productpage', 'VirtualService/ratings', 'VirtualService/details', 'VirtualService/reviews',
    ]);
  });

  test('nothing changed: exit 0 and says so', () => {
    const dir = workspace();
    expect(plan(dir, 'old', 'new')).toEqual({ code: 0, err: '', out: 'No changes (25 objects unchanged).\n' });
  });

  test('bad usage and unreadable input: exit 2 with the reason, never a stack trace', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: [');
    fs.mkdirSync(path.join(dir, 'used'));
    fs.writeFileSync(path.join(dir, 'used', 'x'), '');
    const cases = [
      plan(dir, 'old'), plan(dir, 'old', 'new', '--argocd'), plan(dir, 'old', 'new', '--out', 'o', '--argocd', '--flux'),
      plan(dir, 'old', 'broken.yaml'), plan(dir, 'old', 'missing'), plan(dir, 'old', 'new', '--out', 'used'), plan(dir, 'old', 'new', '--output', 'xml'),
      // Flux reads paths from the repository's root: an --out outside the current folder has no known one
      plan(path.join(dir, 'new'), '../old', '.', '--out', '../flux-out', '--flux'),
    ];
    expect(cases.map(c => c.code)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(fs.existsSync(path.join(dir, 'flux-out'))).toBe(false);
    expect(cases.map(c => c.err.split('\n')[0])).toEqual([
      'expected <old> and <new>, got 1 path(s)',
      '--argocd and --flux need --out <dir>',
      '--argocd and --flux exclude each other',
      expect.stringMatching(/^Error: broken\.yaml:2:1: invalid YAML/),
      expect.stringMatching(/^Error: missing: /),
      expect.stringMatching(/^Error: used: not empty/),
      'unknown output "xml" (use text or json)',
      '--out ../flux-out is outside the current folder, so its path in the Git repository Flux reads is not known; '
        + 'pass --flux-path <its path in the repository>, or run the command from the repository\'s root',
    ]);
    expect(cases.every(c => !c.err.includes('    at '))).toBe(true);
  });
});
