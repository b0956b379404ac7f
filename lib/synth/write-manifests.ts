import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';

/** Options of {@link writeManifests}. */
export interface WriteManifestsOptions {
  /** The folder the app's files are written to. It is deleted and recreated, so give the app a folder of its own. */
  readonly outdir: string;
  /**
   * The file (relative to `outdir`) each chart is written to; charts mapped to the same file share it.
   * @default `<chart id>.yaml`
   */
  readonly fileOf?: (chart: Chart) => string;
  /**
   * Also write a `Kustomization` file (no extension, so `kubectl apply -f <outdir>` skips it)
   * listing the top-level files, making the folder a kustomize base an overlay can list.
   * @default false
   */
  readonly kustomization?: boolean;
}

/**
 * Runs every construct's validation, then renders the app's charts as YAML files: one document
 * per resource, in construct order, keys in insertion order, so the output is byte-for-byte
 * reproducible. Returns the files written (relative to `outdir`).
 *
 * Throws one error listing every validation problem (each naming its construct path, field and
 * fix) before anything is written.
 */
export function writeManifests(app: App, options: WriteManifestsOptions): string[] {
  const problems = app.node.findAll().flatMap(c => c.node.validate().map(p => problemLine(c, p)));
  if (problems.length > 0) {
    throw new Error(`Synthesis failed with ${problems.length} problem(s):\n${problems.map(p => `  - ${p}`).join('\n')}`);
  }
  const fileOf = options.fileOf ?? ((chart: Chart) => `${chart.node.id}.yaml`);
  const files = new Map<string, unknown[]>();
  for (const chart of app.charts) {
    const file = fileOf(chart);
    if (path.isAbsolute(file) || path.normalize(file).startsWith('..') || !file.endsWith('.yaml')) {
      throw new Error(`${chart.node.path}: fileOf: "${file}" is not a .yaml path inside outdir. Fix: return a relative path such as "${chart.node.id}.yaml"`);
    }
    files.set(file, [...files.get(file) ?? [], ...chart.toJson()]);
  }
  fs.rmSync(options.outdir, { recursive: true, force: true });
  for (const [file, docs] of files) {
    const target = path.join(options.outdir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, docs.map(d => yaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n'));
  }
  const written = [...files.keys()].sort();
  if (options.kustomization) {
    const resources = written.filter(f => !f.includes('/'));
    fs.writeFileSync(path.join(options.outdir, KUSTOMIZATION), yaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
    written.push(KUSTOMIZATION);
  }
  return written;
}

/** The kustomize file name that `kubectl apply -f <dir>` ignores (it only reads .yaml, .yml and .json). */
const KUSTOMIZATION = 'Kustomization';

function problemLine(c: IConstruct, problem: string): string {
  // Library validators already start with the construct path; others get it prefixed.
  return problem.startsWith(`${c.node.path}: `) ? problem : `${c.node.path}: ${problem}`;
}
