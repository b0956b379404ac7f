import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { MeshConfigError, MeshService } from '../../lib';
import { newChart } from '../support/constructs';
import { temporaryFolder } from '../support/temporary-folders';

/** A construct's refusal points at the caller's line, not into the library: its stack starts at the user's call. */
const ROOT = path.resolve(__dirname, '..', '..');

function refusal(chart: Chart): MeshConfigError {
  try {
    new MeshService(chart, 'web', { port: 15001, workload: { image: 'registry.example.com/web:1.0' } });
  } catch (e) {
    return e as MeshConfigError;
  }
  throw new Error('expected a refusal');
}

describe('a MeshConfigError\'s stack trace', () => {
  test('is the caller\'s frame (this test file) alone: no frame of the library\'s own code above it, none of the loaders below', () => {
    const error = refusal(newChart().chart);
    const frames = error.stack!.split('\n').filter(line => line.startsWith('    at '));
    expect(frames).toEqual([expect.stringContaining(path.join('test', 'core', 'caller-stack.test.ts'))]);
    expect(error.stack!.split('\n')[0]).toBe(`MeshConfigError: ${error.message}`);
  });

  test('keeps the frames below the caller\'s with CDK8S_ISTIO_DEBUG=1', () => {
    process.env.CDK8S_ISTIO_DEBUG = '1';
    try {
      const frames = refusal(newChart().chart).stack!.split('\n').filter(line => line.startsWith('    at '));
      expect(frames[0]).toContain(path.join('test', 'core', 'caller-stack.test.ts'));
      expect(frames.length).toBeGreaterThan(1);
    } finally {
      delete process.env.CDK8S_ISTIO_DEBUG;
    }
  });

  test('printed uncaught by a program using the package\'s bundle, its first frame is the program\'s line', () => {
    const dir = temporaryFolder('caller-stack-');
    const program = path.join(dir, 'app.js');
    fs.writeFileSync(program, [
      `const { App, Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});`,
      `const { MeshService } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'main.js'))});`,
      'const chart = new Chart(new App(), \'shop\');',
      'new MeshService(chart, \'web\', { port: 15001, workload: { image: \'registry.example.com/web:1.0\' } });',
      '',
    ].join('\n'));
    const run = spawnSync(process.execPath, [program], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    const frames = run.stderr.split('\n').filter(line => line.startsWith('    at '));
    expect(run.stderr).toContain('MeshConfigError: shop/web: port: container port 15001 is the Istio proxy\'s outbound capture port');
    expect(frames).toEqual([expect.stringContaining(`${program}:4`)]);
  });

  test('a SynthesisError printed uncaught ends with one line: the program\'s call of writeManifests() or app.synth()', () => {
    const dir = temporaryFolder('caller-stack-');
    for (const call of ['writeManifests(app, { outdir: \'out\' });', 'app.synth();']) {
      const program = path.join(dir, 'app.js');
      fs.writeFileSync(program, [
        `const { App, Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});`,
        `const { MeshService, VirtualService, writeManifests } = require(${JSON.stringify(path.join(ROOT, 'build', 'lib', 'main.js'))});`,
        'const app = new App({ outdir: \'out\' });',
        'const chart = new Chart(app, \'shop\', { namespace: \'shop\' });',
        'const orders = new MeshService(chart, \'orders\', { port: 8080, versions: { v1: { image: \'registry.example.com/o:1\' } } });',
        'new VirtualService(chart, \'vs\', { hosts: [orders], http: [{ to: [orders.version(\'v3\')] }] });',
        call,
        '',
      ].join('\n'));
      const run = spawnSync(process.execPath, [program], { cwd: dir, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('SynthesisError: Synthesis failed with 1 problem(s):\n  - shop/vs: http[0].route[0].destination.subset: "v3"');
      expect(run.stderr.split('\n').filter(line => line.startsWith('    at '))).toEqual([expect.stringContaining(`${program}:7`)]);
    }
  });
});
