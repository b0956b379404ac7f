import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { IstioValidation, ValidationContextLike } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

const ROOT = path.resolve(__dirname, '..', '..');
const PROJECT = path.join(ROOT, 'test', 'fixtures', 'cdk8s-project');

function context(manifests: string[]) {
  const violations: any[] = [];
  const submitted: { status?: string; metadata?: Record<string, string> } = {};
  const ctx: ValidationContextLike = {
    manifests,
    report: { addViolation: v => violations.push(v), submit: (status, metadata) => Object.assign(submitted, { status, metadata }) },
  };
  return { ctx, violations, submitted };
}

function manifest(content: string): string {
  const file = path.join(temporaryFolder('cdk8s-istio-plugin-'), 'app.k8s.yaml');
  fs.writeFileSync(file, content);
  return file;
}

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled, istio.io/rev: canary}\n';
const ROUTE = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [r]\n  gateways: [missing]\n  http: [{route: [{destination: {host: r.example.com}}]}]\n';

describe('IstioValidation (cdk8s validation plugin)', () => {
  test('reports each code as a violation with resource, field and manifest, and fails on errors', async () => {
    const file = manifest(`${NAMESPACE}---\n${ROUTE}`);
    const { ctx, violations, submitted } = context([file]);
    await new IstioValidation().validate(ctx);
    expect(submitted.status).toBe('failure');
    expect(violations.map(v => v.ruleName).sort()).toEqual([
      'IST0101 ReferencedResourceNotFound (Error)', 'IST0123 NamespaceMultipleInjectionLabels (Warning)',
      'IST0132 VirtualServiceHostNotFoundInGateway (Warning)', // a missing gateway serves none of the hosts, as istioctl reports
    ]);
    const notFound = violations.find(v => v.ruleName.startsWith('IST0101'));
    expect(notFound.violatingResources).toEqual([
      { resourceName: 'r', locations: ['spec.gateways[0]'], manifestPath: file },
      { resourceName: 'r', locations: ['spec.http[0].route[0].destination.host'], manifestPath: file },
    ]);
    expect(notFound.recommendation).toContain('Referenced gateway not found: "missing"');
    expect(notFound.fix).toBe('https://istio.io/latest/docs/reference/config/analysis/ist0101/');
  });

  test('warnings pass by default and fail with failOn: Warning', async () => {
    const file = manifest(NAMESPACE);
    const lenient = context([file]);
    await new IstioValidation().validate(lenient.ctx);
    expect(lenient.submitted.status).toBe('success');
    const strict = context([file]);
    await new IstioValidation({ failOn: 'Warning' }).validate(strict.ctx);
    expect(strict.submitted.status).toBe('failure');
  });

  test('an unknown failOn level is refused with the fix', () => {
    expect(() => new IstioValidation({ failOn: 'Fatal' as any })).toThrow('IstioValidation: failOn: "Fatal" is not a level. Fix: use one of Info, Warning, Error');
  });

  test('from a cdk8s project\'s cdk8s.yaml, `cdk8s synth` fails on a broken mesh and names the construct', () => {
    const outdir = temporaryFolder('cdk8s-istio-project-');
    const synth = (env: Record<string, string>) => spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '--output', outdir], {
      cwd: PROJECT, encoding: 'utf8', env: { ...process.env, ...env },
    });
    const broken = synth({ BROKEN: '1' });
    expect(broken.status).not.toBe(0);
    const output = broken.stdout + broken.stderr;
    expect(output).toContain('IST0101 ReferencedResourceNotFound (Error)');
    expect(output).toContain('Construct Path: shop/route');
    expect(output).toContain('spec.http[0].route[0].destination.subset');
    expect(synth({}).status).toBe(0);
  }, 60_000);
});
