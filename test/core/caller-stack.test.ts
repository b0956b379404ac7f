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
  test('starts at the caller\'s frame (this test file), with no frame of the library\'s own code above it', () => {
    const error = refusal(newChart().chart);
    const frames = error.stack!.split('\n').filter(line => line.startsWith('    at '));
    expect(frames[0]).toContain(path.join('test', 'core', 'caller-stack.test.ts'));
    expect(error.stack!.split('\n')[0]).toBe(`MeshConfigError: ${error.message}`);
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
    expect(frames[0]).toContain(`${program}:4`);
  });
});
