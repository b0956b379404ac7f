import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) {
  // eslint-disable-next-line no-console
  console.warn('SKIPPED: kubectl not found, so the kustomize overlays are NOT built.');
}
const suite = kubectl ? describe : describe.skip;

/** Builds an overlay whose kustomization.yaml is `content`, with `../../dist/` pointing at this repo's dist/. */
function build(content: string): Record<string, any>[] {
  const overlay = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-overlay-'));
  const dist = path.relative(overlay, DIST);
  fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), content.replace(/\.\.\/\.\.\/dist\//g, `${dist}/`));
  try {
    return (yaml.loadAll(execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' })) as Record<string, any>[]).filter(Boolean);
  } finally {
    fs.rmSync(overlay, { recursive: true, force: true });
  }
}

/** The documents `kubectl apply -f dist/<app>/` applies (top-level .yaml files). */
function applied(app: string): Record<string, any>[] {
  return fs.readdirSync(path.join(DIST, app)).filter(f => f.endsWith('.yaml'))
    .flatMap(f => yaml.loadAll(fs.readFileSync(path.join(DIST, app, f), 'utf8')) as Record<string, any>[]);
}

suite('dist/<app>/ as a kustomize base (kubectl kustomize)', () => {
  const apps = fs.readdirSync(DIST).filter(a => fs.existsSync(path.join(DIST, a, 'Kustomization'))).sort();

  test('every app folder is a base', () => {
    // dist/install/ is istioctl and Helm input, not a folder for kubectl apply -f or kustomize
    expect(apps).toEqual(fs.readdirSync(DIST).filter(a => a !== 'install').sort());
  });

  test.each(apps)('an overlay listing %s builds every applied resource once, with the overlay\'s changes', (app) => {
    const docs = build(`resources:\n  - ../../dist/${app}\nlabels:\n  - pairs:\n      env: staging\n`);
    const ids = (list: Record<string, any>[]) => list.map(d => `${d.apiVersion}/${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`).sort();
    expect(ids(docs)).toEqual(ids(applied(app)));
    for (const doc of docs) expect(doc.metadata.labels.env).toBe('staging');
  });

  test('the README overlay example builds and changes what it says', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(# overlays\/staging\/kustomization\.yaml\n[\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const docs = build(example![1]);
    const deployments = docs.filter(d => d.kind === 'Deployment');
    expect(deployments.length).toBe(5);
    for (const d of deployments) expect(d.spec.template.spec.containers[0].image).toBe('registry.example.com/mirror/http-echo:1.0.0');
    expect(deployments.find(d => d.metadata.name === 'payment-v1')!.spec.replicas).toBe(2);
  });
});
