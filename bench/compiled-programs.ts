/**
 * The measured programs of `npm run bench` as compiled JavaScript, the way a user runs a compiled
 * cdk8s app (`node main.js`, no TypeScript loader):
 *
 * 1. the library: `node scripts/build.js` compiles lib/ into build/ when it is stale, and build/lib
 *    and build/imports are copied into node_modules/.cache/cdk8s-istio-bench/programs/, so that one
 *    bench measures one build even when build/ is compiled again meanwhile (a shared work tree),
 *    with the package's main (build/lib/main.js, which runs the bundle build/cdk8s-istio.js, and
 *    the CEL bundle build/cel.js beside it) as lib/index.js;
 * 2. the programs (bench/library-program.ts, stock-program.ts, snapshot-program.ts) and what they import from
 *    bench/ are copied into programs/bench/ and tsc compiles them there against that copy, so
 *    `../lib` resolves to the compiled library and its declarations, as a user's program resolves
 *    the installed package.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-istio-bench', 'programs');
/**
 * The files of bench/ the programs are made of, all named: tsc emits nothing for a file under
 * node_modules that is not one of its root files.
 */
const SOURCES = ['library-program.ts', 'stock-program.ts', 'snapshot-program.ts', 'generated-mesh.ts'];

/** The compiled programs, by file. */
export interface CompiledPrograms {
  /** bench/library-program.ts compiled. */
  readonly library: string;
  /** bench/stock-program.ts compiled. */
  readonly stock: string;
  /** bench/snapshot-program.ts compiled. */
  readonly snapshots: string;
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/** Compiles build/ when stale and the bench programs against it; returns the programs' paths. */
export function compilePrograms(): CompiledPrograms {
  run(process.execPath, [path.join(ROOT, 'scripts', 'build.js')]);
  fs.rmSync(DIR, { recursive: true, force: true });
  for (const folder of ['lib', 'imports']) fs.cpSync(path.join(ROOT, 'build', folder), path.join(DIR, folder), { recursive: true });
  // `../lib` is the package's main as a user's `require('cdk8s-istio')` loads it (lib/main.ts: the
  // bundle build/cdk8s-istio.js with its code cache); the other files of lib/ serve tsc (their
  // declarations) and main.js (lib/core/code-cache.js). The bundle loads build/cel.js from beside it.
  for (const bundle of ['cdk8s-istio.js', 'cel.js']) fs.copyFileSync(path.join(ROOT, 'build', bundle), path.join(DIR, bundle));
  fs.copyFileSync(path.join(ROOT, 'build', 'lib', 'main.js'), path.join(DIR, 'lib', 'index.js'));
  const bench = path.join(DIR, 'bench');
  fs.mkdirSync(bench, { recursive: true });
  for (const file of SOURCES) fs.copyFileSync(path.join(ROOT, 'bench', file), path.join(bench, file));
  const tsconfig = {
    compilerOptions: {
      target: 'ES2020',
      module: 'CommonJS',
      lib: ['es2020'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmitOnError: true,
      types: ['node', 'js-yaml'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    },
    files: SOURCES.map(file => path.join(bench, file)),
  };
  fs.writeFileSync(path.join(DIR, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(DIR, 'tsconfig.json')]);
  return {
    library: path.join(bench, 'library-program.js'),
    stock: path.join(bench, 'stock-program.js'),
    snapshots: path.join(bench, 'snapshot-program.js'),
  };
}
