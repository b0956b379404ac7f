import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import { AppAnalysis, inputOf } from '../analysis/app-analysis';
import { AnalysisInput, identityOf } from '../analysis/mesh-index';
import { AnalysisMessage, formatMessage } from '../analysis/messages';

/** Options of {@link writeManifests}. */
export interface WriteManifestsOptions {
  /** The folder the app's files are written to. It is deleted and recreated, so give the app a folder of its own. */
  readonly outdir: string;
  /**
   * The file (relative to `outdir`) each chart is written to; charts mapped to the same file share
   * it. Charts in subfolders are overlays: analyzed one at a time on top of the top-level charts,
   * as `kubectl apply -f <outdir>` applies only the top level.
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

/** What {@link writeManifests} produced. */
export interface WrittenManifests {
  /** The files written, relative to `outdir`. */
  readonly files: string[];
  /** The analysis findings (none of them errors, or it would have thrown). */
  readonly messages: AnalysisMessage[];
}

/**
 * Synthesizes an app into YAML files, once: every construct's validation runs a single time, each
 * object is rendered a single time, the mesh analysis runs on those renderings (errors throw before
 * anything is written; warnings are printed and returned), and the documents are dumped in
 * construct (and dependency) order with keys as rendered, so the output is byte-for-byte
 * reproducible.
 *
 * Throws one error listing every validation problem and analysis error, each naming its construct
 * path, field and fix.
 */
export function writeManifests(app: App, options: WriteManifestsOptions): WrittenManifests {
  const fileOf = options.fileOf ?? ((chart: Chart) => `${chart.node.id}.yaml`);
  const constructs = app.node.findAll();
  // app.charts orders charts by their dependencies over the whole tree; without any dependency
  // that order is the construct order, which is much cheaper to get for a large app.
  const hasDependencies = constructs.some(c => c.node.dependencies.length > 0);
  const charts = hasDependencies ? app.charts : constructs.filter((c): c is Chart => c instanceof Chart);
  const files = new Map(charts.map(chart => [chart, checkFile(chart, fileOf(chart))]));

  const analysis = AppAnalysis.of(app);
  const overlays = charts.filter(chart => files.get(chart)!.includes('/'));
  overlays.forEach(chart => analysis.addOverlay(chart));
  analysis._setDeferred(true);
  let problems: string[];
  try {
    problems = constructs.flatMap(c => c.node.validate().map(p => problemLine(c, p)));
  } finally {
    analysis._setDeferred(false);
  }
  if (problems.length > 0) throw synthesisError(problems);

  if (hasDependencies) addApiObjectDependencies(constructs);
  const rendered = new Map(charts.map(chart => [chart, renderInOrder(chart)]));
  const duplicates = [charts.filter(c => !overlays.includes(c)), ...overlays.map(c => [c])].flatMap(set => duplicatesIn(set.flatMap(c => rendered.get(c)!)));
  if (duplicates.length > 0) throw synthesisError(duplicates);
  const messages = analysis.enabled ? analysis.run(chart => rendered.get(chart)!, charts) : [];
  const errors = messages.filter(m => m.level === 'Error');
  if (errors.length > 0) throw synthesisError(errors.map(formatMessage));

  const output = new Map<string, AnalysisInput[]>();
  for (const [chart, file] of files) output.set(file, [...output.get(file) ?? [], ...rendered.get(chart)!]);
  fs.rmSync(options.outdir, { recursive: true, force: true });
  for (const [file, docs] of output) {
    const target = path.join(options.outdir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, docs.map(d => yaml.dump(d.doc, { lineWidth: -1, noRefs: true })).join('---\n'));
  }
  const written = [...output.keys()].sort();
  if (options.kustomization) {
    const resources = written.filter(f => !f.includes('/'));
    fs.writeFileSync(path.join(options.outdir, KUSTOMIZATION), yaml.dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
    written.push(KUSTOMIZATION);
  }
  return { files: written, messages };
}

/** The kustomize file name that `kubectl apply -f <dir>` ignores (it only reads .yaml, .yml and .json). */
const KUSTOMIZATION = 'Kustomization';

/** Objects of one applied set with the same identity: `kubectl apply` would keep only the last. */
function duplicatesIn(inputs: readonly AnalysisInput[]): string[] {
  const seen = new Map<string, AnalysisInput>();
  const problems: string[] = [];
  for (const input of inputs) {
    const id = identityOf(input.doc);
    const first = seen.get(id);
    if (first) {
      problems.push(`${input.constructPath}: metadata.name: ${input.doc.kind} "${input.doc.metadata?.name}" is also defined by ${first.constructPath}, and applying both keeps only one. Fix: give one of them another name`);
    }
    seen.set(id, first ?? input);
  }
  return problems;
}

function checkFile(chart: Chart, file: string): string {
  if (path.isAbsolute(file) || path.normalize(file).startsWith('..') || !file.endsWith('.yaml')) {
    throw new Error(`${chart.node.path}: fileOf: "${file}" is not a .yaml path inside outdir. Fix: return a relative path such as "${chart.node.id}.yaml"`);
  }
  return file;
}

function synthesisError(lines: string[]): Error {
  return new Error(`Synthesis failed with ${lines.length} problem(s):\n${lines.map(p => `  - ${p}`).join('\n')}`);
}

function problemLine(c: IConstruct, problem: string): string {
  // Library validators already start with the construct path; others get it prefixed.
  return problem.startsWith(`${c.node.path}: `) ? problem : `${c.node.path}: ${problem}`;
}

/**
 * Turns dependencies between constructs into dependencies between the API objects they contain
 * (within one chart), as cdk8s does before ordering a chart's objects.
 */
function addApiObjectDependencies(constructs: readonly IConstruct[]): void {
  const apiObjects = (c: IConstruct, chart: Chart) => c.node.findAll().filter(o => o instanceof ApiObject && Chart.of(o) === chart);
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const sourceChart = Chart.of(source);
      if (Chart.of(target) !== sourceChart) continue;
      for (const t of apiObjects(target, sourceChart)) {
        for (const s of apiObjects(source, sourceChart)) if (s !== t) s.node.addDependency(t);
      }
    }
  }
}

/**
 * A chart's own API objects in dependency (then construct) order, each rendered once. Without
 * dependencies that order is the construct order, so the graph is only built when one exists.
 */
function renderInOrder(chart: Chart): AnalysisInput[] {
  const constructs = chart.node.findAll();
  const ordered = constructs.some(c => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : constructs;
  return ordered.filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart).map(inputOf);
}
