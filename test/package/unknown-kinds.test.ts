import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Documents of kinds without a schema (other projects' CRDs, a made-up kind, a misspelt apiVersion)
 * pass through a real synth and the real CLI, each run in its own Node process: they are written,
 * nothing crashes, and each apiVersion/kind is reported once as CDK0001. The same app runs against
 * the packed package in test/package/consumer.test.ts.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const APP = path.join(__dirname, 'fixtures', 'unknown-kinds-app.ts');
const UNKNOWN = [
  'cert-manager.io/v1 Certificate',
  'keda.sh/v1alpha1 ScaledObject',
  'argoproj.io/v1alpha1 Rollout',
  'example.com/v1 Widget',
  'app/v1 Deployment',
];

function node(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The `no schema for ...` subjects of the CDK0001 lines in some output, sorted. */
function unvalidated(out: string): string[] {
  return [...out.matchAll(/\[CDK0001\].*not validated beyond its metadata: no schema for (\S+ \S+)/g)].map((m) => m[1]).sort();
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-unknown-kinds-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('a synth (node --require tsx/cjs) writes unknown kinds unvalidated and reports each apiVersion/kind once', () => {
  const { status, out } = node(['--require', 'tsx/cjs', APP, outdir]);
  expect({ status, crash: /ERR_|\n\s+at /.test(out) }).toEqual({ status: 0, crash: false });
  expect(unvalidated(out)).toEqual([...UNKNOWN].sort());
  const written = fs.readFileSync(path.join(outdir, 'shop.yaml'), 'utf8');
  for (const gvk of UNKNOWN) {
    const [apiVersion, kind] = gvk.split(' ');
    expect(written).toContain(`apiVersion: ${apiVersion}\nkind: ${kind}\n`);
  }
  expect(written.match(/^kind: Certificate$/gm)).toHaveLength(2);
}, 60_000);

test('the CLI (bin/cdk8s-istio.js analyze) exits 0 on unknown kinds and reports each apiVersion/kind once', () => {
  const { status, out } = node([path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'analyze', path.join(outdir, 'shop.yaml')]);
  expect({ status, crash: /ERR_|\n\s+at /.test(out) }).toEqual({ status: 0, crash: false });
  expect(unvalidated(out)).toEqual([...UNKNOWN].sort());
}, 60_000);
