import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A consumer project for the packed package, shaped like `cdk8s init typescript-app` (its
 * package.json dev tools, tsconfig.json, jest.config.js and cdk8s.yaml; the template's own
 * `cdk8s import k8s` step is left out, as nothing here needs the generated imports).
 *
 * The folder is kept between runs (`$CDK8S_ISTIO_CONSUMER_DIR`, default `<tmp>/cdk8s-istio-consumer`):
 * its dependencies are installed again only when the package.json below changes, and npm's cache
 * serves what it can (`--prefer-offline`). The tarball is installed afresh every run.
 */

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where the consumer project lives. */
export const CONSUMER_DIR = process.env.CDK8S_ISTIO_CONSUMER_DIR ?? path.join(os.tmpdir(), 'cdk8s-istio-consumer');

/** The consumer's package.json: what cdk8s init writes, with latest cdk8s 2.x and constructs 10.x. */
const PACKAGE_JSON = {
  name: 'consumer',
  version: '1.0.0',
  private: true,
  license: 'Apache-2.0',
  scripts: { synth: 'cdk8s synth', compile: 'tsc --build', test: 'jest' },
  dependencies: { cdk8s: '^2', constructs: '^10' },
  devDependencies: {
    'cdk8s-cli': '^2', '@types/node': '^14', '@types/jest': '^29', 'jest': '^29', 'ts-jest': '^29', 'typescript': '5.9.x', 'ts-node': '^10',
  },
};

/** cdk8s init's tsconfig.json (templates/typescript-app): strict, noUnusedLocals, lib es2016, no skipLibCheck. */
const TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ['es2016'],
    module: 'CommonJS',
    noEmit: false,
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: 'ES2017',
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
};

const JEST_CONFIG = `module.exports = {
  roots: ['<rootDir>'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'json', 'node'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\\\.tsx?$': 'ts-jest' },
};
`;

/** Prints one line of what the consumer test is doing, as it happens. */
export function step(message: string): void {
  process.stderr.write(`[package test] ${message}\n`);
}

/** The result of a command. */
export interface RunResult {
  /** Exit code. */
  readonly status: number | null;
  /** stdout and stderr, in that order. */
  readonly output: string;
}

/** Runs a command (no shell); `check` throws with its output when it fails. */
export function run(
  command: string, args: readonly string[], cwd: string, options: { check?: boolean; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0', ...options.env },
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  const where = cwd === ROOT ? 'the repository' : cwd;
  step(`${path.basename(command)} ${args.join(' ')} (in ${where}): exit ${r.status}, ${Date.now() - started} ms`);
  if ((options.check ?? true) && r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status}):\n${output}`);
  return { status: r.status, output };
}

/**
 * Packs the repository with `npm pack` (its prepack compiles a fresh build/) into a temporary
 * folder and returns the tarball's path; `$CDK8S_ISTIO_TARBALL` names an existing tarball instead.
 */
export function packTarball(): string {
  if (process.env.CDK8S_ISTIO_TARBALL) {
    step(`using the tarball ${process.env.CDK8S_ISTIO_TARBALL} ($CDK8S_ISTIO_TARBALL)`);
    return path.resolve(process.env.CDK8S_ISTIO_TARBALL);
  }
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-pack-'));
  const { output } = run('npm', ['pack', '--json', '--pack-destination', dest], ROOT);
  const json = output.slice(output.indexOf('[\n'), output.lastIndexOf(']') + 1);
  const [info] = JSON.parse(json) as Array<{ filename: string; size: number; entryCount: number }>;
  step(`packed ${info.filename}: ${(info.size / 1024).toFixed(0)} kB, ${info.entryCount} files`);
  return path.join(dest, info.filename);
}

/** Creates (or reuses) the consumer project and installs the tarball into it; returns its folder. */
export function prepareConsumer(tarball: string): string {
  const dir = CONSUMER_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const manifest = `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`;
  const stamp = path.join(dir, 'node_modules', '.consumer-stamp');
  const wanted = createHash('sha256').update(manifest).digest('hex');
  fs.writeFileSync(path.join(dir, 'package.json'), manifest);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'jest.config.js'), JEST_CONFIG);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
    step(`reusing the consumer project ${dir} (its dependencies are unchanged)`);
  } else {
    step(`creating the consumer project ${dir}`);
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
    fs.writeFileSync(stamp, wanted);
  }
  fs.rmSync(path.join(dir, 'node_modules', 'cdk8s-istio'), { recursive: true, force: true });
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  return dir;
}

/** Writes files into the consumer project (after removing what an earlier run left there). */
export function writeSources(dir: string, files: Readonly<Record<string, string>>): void {
  for (const stale of ['dist', 'readme', '__snapshots__', 'unknown-kinds']) {
    fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
  }
  for (const f of fs.readdirSync(dir).filter(name => name.endsWith('.ts'))) fs.rmSync(path.join(dir, f));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}
