/**
 * Package figures for `npm run bench` (also runnable alone: `node --require tsx/cjs bench/package-figures.ts`):
 *
 * - install size: `npm pack`, then `npm install --omit=dev` of the tarball into a fresh folder, with
 *   `--omit=peer` so the peers (cdk8s, constructs, cdk8s-plus-28) are not counted; in MB of file
 *   contents (10^6 bytes), per installed package;
 * - require time: `require('cdk8s-istio')` in a fresh `node` process in a consumer folder (peers
 *   installed), measured inside the process, and the same for `require('cdk8s')` alone, which any
 *   cdk8s app pays anyway; median, min–max and n of `BENCH_RUNS` runs, the two alternating.
 *
 * It prints figures and never fails on them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MS, median, spread, target } from './stats';

const ROOT = path.resolve(__dirname, '..');

function sh(command: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Bytes of file contents under a folder. */
function bytesIn(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += bytesIn(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** The installed packages of a node_modules folder (scoped ones as `@scope/name`), largest first. */
function packageSizes(modules: string): Array<[string, number]> {
  const names = fs.readdirSync(modules).filter((n) => !n.startsWith('.'))
    .flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(modules, n)).map((s) => `${n}/${s}`) : [n]));
  return names.map((n): [string, number] => [n, bytesIn(path.join(modules, n))]).sort((a, b) => b[1] - a[1]);
}

function install(tarball: string, omit: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-install-'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
  sh('npm', ['install', ...omit.map((o) => `--omit=${o}`), '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  return dir;
}

/** Milliseconds `require(id)` takes in a fresh node process started in `cwd`. */
function requireMs(id: string, cwd: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(id)});`
    + ' process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';
  return Number(sh(process.execPath, ['-e', script], cwd));
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Prints the install size and require time of the packed package. */
export function printPackageFigures(runs: number): void {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-pack-'));
  const packOutput = sh('npm', ['pack', '--json', '--silent', '--pack-destination', packDir], ROOT);
  const packed = JSON.parse(packOutput) as Array<{ filename: string; size: number; unpackedSize: number }>;
  const tarball = path.join(packDir, packed[0].filename);
  const bare = install(tarball, ['dev', 'peer']);
  const withPeers = install(tarball, ['dev']);
  const sizes = packageSizes(path.join(bare, 'node_modules'));
  const total = sizes.reduce((sum, [, b]) => sum + b, 0);
  const requireIstio: number[] = [];
  const requireCdk8s: number[] = [];
  for (let i = 0; i < runs; i++) { // alternating, so machine noise hits both alike
    requireIstio.push(requireMs('cdk8s-istio', withPeers));
    requireCdk8s.push(requireMs('cdk8s', withPeers));
  }

  console.log(`\npackage: ${packed[0].filename}, ${(packed[0].size / 1e3).toFixed(0)} kB packed, ${mb(packed[0].unpackedSize)} unpacked`);
  console.log(target(`install size, npm install --omit=dev, peers not counted: ${mb(total)}`, total / 1e6, 25, '25 MB'));
  console.log(`  with the peers (cdk8s, constructs, cdk8s-plus-28): ${mb(bytesIn(path.join(withPeers, 'node_modules')))}`);
  console.log(`  by package: ${sizes.filter(([, b]) => b >= 100e3).map(([n, b]) => `${n} ${mb(b)}`).join(', ')}`);
  console.log(target(`require('cdk8s-istio') in a fresh process: ${spread(requireIstio, MS)}`, median(requireIstio), 150, '150 ms'));
  console.log(`  of which any cdk8s app pays anyway, require('cdk8s'): ${spread(requireCdk8s, MS)}`);
  for (const dir of [packDir, bare, withPeers]) fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) printPackageFigures(Number(process.env.BENCH_RUNS ?? 5));
