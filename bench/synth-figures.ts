/**
 * The bundled apps' figures of `npm run bench`, the commands alternating run after run:
 *
 *   (a)  `npm run synth` of every bundled app (wall), beside what it is made of: `npm run` of a
 *        no-op script (npm's own start-up on this machine) and `node scripts/synth.js` directly;
 *   (b)  `kubectl kustomize` over the same dist folders (a peer floor), when kubectl is there.
 *
 * The apps synthesize into a temporary folder (CDK8S_OUTDIR) with the project's caches as they are
 * (warm after the untimed first run) and build/ up to date (scripts/build.js, untimed, before each
 * round), as a developer re-runs them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChildRun, runChild } from './child-runs';
import { MS, median, spread, target } from './stats';

const ROOT = path.resolve(__dirname, '..');

/** Prints (a) and (b) from `runs` rounds. */
export function printSynthFigures(runs: number): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-synth-bench-'));
  try {
    const noop = path.join(work, 'noop');
    fs.mkdirSync(noop);
    const noopPackage = { name: 'noop', version: '1.0.0', private: true, scripts: { noop: 'true' } };
    fs.writeFileSync(path.join(noop, 'package.json'), JSON.stringify(noopPackage));
    const env = { CDK8S_OUTDIR: path.join(work, 'dist') };
    const distApps = fs.readdirSync(path.join(ROOT, 'dist')).filter(a => fs.existsSync(path.join(ROOT, 'dist', a, 'Kustomization')));
    const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
    const command = (label: string, run: () => number) => ({ label, run, runs: [] as number[] });
    const wallOf = (cmd: string, args: readonly string[], cwd: string) => () => runChild(cmd, args, { cwd, env }).wallMs;
    const commands = [
      command(`(a) npm run synth, all ${distApps.length} apps`, wallOf('npm', ['run', '--silent', 'synth'], ROOT)),
      command('    npm run of a no-op script (npm itself)', wallOf('npm', ['run', '--silent', 'noop'], noop)),
      command('    node scripts/synth.js (the same, no npm)', wallOf(process.execPath, ['scripts/synth.js'], ROOT)),
    ];
    if (hasKubectl) {
      const kustomizeAll = () => distApps.map(app => runChild('kubectl', ['kustomize', path.join('dist', app)], { cwd: ROOT }))
        .reduce((sum: number, r: ChildRun) => sum + r.wallMs, 0);
      commands.push(command('(b) kubectl kustomize, the same folders', kustomizeAll));
    }
    commands[0].run(); // untimed: warms the project's caches
    for (let i = 0; i < runs; i++) {
      // untimed: compiles build/ if a source changed meanwhile (a shared work tree), so no timed run compiles
      runChild(process.execPath, ['scripts/build.js'], { cwd: ROOT });
      for (const c of commands) c.runs.push(c.run());
    }
    console.log('bundled apps (wall, commands alternating)');
    const synth = commands[0].runs;
    console.log(target(`${commands[0].label.padEnd(46)} ${spread(synth, MS)}`, synth.length ? median(synth) : undefined, 500, '500 ms'));
    for (const c of commands.slice(1)) {
      console.log(`${c.label.padEnd(46)} ${spread(c.runs, MS)}${c.label.startsWith('(b)') ? '   (peer floor)' : ''}`);
    }
    if (!hasKubectl) console.log('(b) kubectl kustomize: kubectl not found');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
