import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { OutputIndex } from './output-index';
import { fromCaller, printMessages, synthesize } from './pipeline';
import { folderContents, replaceFolder } from './replace-folder';
import type { AnalysisMessage } from '../analysis/messages';
import { describeGiven } from '../core/check';
import { jsYaml } from '../core/js-yaml-lazy';

/** Options of {@link writeManifests}. */
export interface WriteManifestsOptions {
  /**
   * The folder the app's files are written to. It is replaced as a whole (the new output is
   * written beside it and renamed into place), so give the app a folder of its own; the file
   * system's root, the current directory and its parents, an existing file, and a folder holding
   * anything but `.yaml` files and `Kustomization` (a project, notes: what the swap would delete)
   * are refused. When it already holds exactly the files the synthesis writes, it is left
   * untouched (their modification times stay).
   */
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

/** The kustomize file name that `kubectl apply -f <dir>` ignores (it only reads .yaml, .yml and .json). */
const KUSTOMIZATION = 'Kustomization';

/**
 * Synthesizes an app into YAML files through the synth pipeline (lib/synth/pipeline.ts: construct
 * validations, one rendering, schema and admission checks of every document, the mesh analysis),
 * then writes them atomically: into a new folder beside `outdir`, renamed into place, so a failure
 * at any point leaves the previous output as it was; a folder that already holds exactly these
 * files is left untouched (lib/synth/replace-folder.ts). Documents are dumped in construct (and
 * dependency) order with keys as rendered, so the output is byte-for-byte reproducible.
 *
 * Throws one error listing every problem, each naming its construct path, field and fix.
 */
export function writeManifests(app: App, options: WriteManifestsOptions): WrittenManifests {
  try {
    return writeManifestsWith(app, options, new Map());
  } catch (e) {
    throw fromCaller(e, writeManifests);
  }
}

/** @internal A file written beside the charts' (a Helm values file of an install), and the construct it belongs to. */
export interface ExtraFile {
  /** The file's text. */
  readonly text: string;
  /** Who writes it, for the message of a chart mapped to the same file. */
  readonly owner: IConstruct;
}

/**
 * @internal {@link writeManifests}, also writing `extra` files (by path relative to `outdir`) into
 * the same new folder, so they are swapped in with the charts' files or not at all; a chart
 * mapped to one of their paths is refused before anything is written.
 */
export function writeManifestsWith(app: App, options: WriteManifestsOptions, extra: ReadonlyMap<string, ExtraFile>): WrittenManifests {
  const outdir = checkOutdir((options as WriteManifestsOptions | undefined)?.outdir);
  const fileOf = options.fileOf ?? ((chart: Chart) => `${chart.node.id}.yaml`);
  const constructs = app.node.findAll();
  const files = new Map(constructs.filter((c): c is Chart => c instanceof Chart).map(chart => [chart, checkFile(chart, fileOf(chart))]));
  checkCollisions(files);
  for (const [chart, file] of files) {
    const taken = [...extra].find(([other]) => other.toLowerCase() === file.toLowerCase() || other.startsWith(`${file}/`));
    if (taken !== undefined) {
      throw new Error(`${chart.node.path}: fileOf: "${file}" is also written by ${taken[1].owner.node.path} (${taken[0]}). `
        + 'Fix: map the chart to another file');
    }
  }
  const overlays = [...files].filter(([, file]) => file.includes('/')).map(([chart]) => chart);
  const synthesis = synthesize(app, { overlays, yaml: true });
  printMessages(synthesis.messages);

  const byFile = new Map<string, Chart[]>();
  for (const chart of synthesis.charts) {
    const file = files.get(chart)!;
    byFile.set(file, [...byFile.get(file) ?? [], chart]);
  }
  const written = [...byFile.keys(), ...extra.keys()].sort();
  const resources = written.filter(f => !f.includes('/'));
  if (options.kustomization) written.push(KUSTOMIZATION);
  replaceFolder(outdir, write => {
    for (const [file, charts] of byFile) {
      const objects = charts.flatMap(chart => synthesis.documents.get(chart)!);
      write(file, { key: OutputIndex.keyOf(objects.map(synthesis.digestOf)), text: () => objects.map(synthesis.yamlOf).join('---\n') });
    }
    for (const [file, { text }] of extra) write(file, text);
    if (options.kustomization) {
      write(KUSTOMIZATION, jsYaml().dump({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
    }
  }, OutputIndex.open(outdir));
  return { files: written, messages: [...synthesis.messages] };
}

const OUTDIR_FIX = 'Fix: give the app a folder of its own, e.g. writeManifests(app, { outdir: "dist/<app>" })';

/**
 * The absolute outdir. Refuses what the swap must not replace: the file system's root, the current
 * directory and its parents (the project), an existing file, and a folder holding files
 * writeManifests never writes ({@link foreignEntries}); and anything but a path.
 */
function checkOutdir(outdir: unknown): string {
  if (typeof outdir !== 'string' || outdir.trim() === '') {
    throw new Error(`writeManifests: outdir: must be the path of a folder, not ${describeGiven(outdir)}. ${OUTDIR_FIX}`);
  }
  const resolved = path.resolve(outdir);
  const cwd = process.cwd();
  if (path.dirname(resolved) === resolved) {
    throw new Error(`writeManifests: outdir: "${outdir}" is the root of the file system, which writeManifests would replace. `
      + OUTDIR_FIX);
  }
  if (cwd === resolved || cwd.startsWith(`${resolved}${path.sep}`)) {
    throw new Error(`writeManifests: outdir: "${outdir}" is the current directory or one of its parents, `
      + `which writeManifests would replace. ${OUTDIR_FIX}`);
  }
  if (fs.existsSync(resolved) && !fs.statSync(resolved).isDirectory()) {
    throw new Error(`writeManifests: outdir: "${outdir}" is an existing file, not a folder; writeManifests would replace it. `
      + 'Fix: remove the file, or give the app another folder');
  }
  const foreign = foreignEntries(resolved);
  if (foreign.length > 0) {
    const named = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new Error(`writeManifests: outdir: "${outdir}" holds what writeManifests never writes (${named}), which replacing the `
      + 'folder would delete. Fix: give the app a folder of its own, new or holding only its earlier output (.yaml files and '
      + 'Kustomization), e.g. writeManifests(app, { outdir: "dist/<app>" }), or move those files out');
  }
  return resolved;
}

/** Finder's folder settings, which replacing a folder may delete: not a user's work. */
const FINDER_FILE = '.DS_Store';

/**
 * What an existing outdir holds that writeManifests never writes, which the swap would delete: a
 * file that is neither a `.yaml` file nor `Kustomization` (a project's `package.json`, `.git/`,
 * notes), or a link. Empty folders and Finder's `.DS_Store` files do not count.
 */
function foreignEntries(outdir: string): string[] {
  const contents = folderContents(outdir);
  if (contents === undefined) return [];
  const written = (file: string) => {
    const name = file.slice(file.lastIndexOf('/') + 1);
    return name === KUSTOMIZATION || name === FINDER_FILE || name.endsWith('.yaml');
  };
  return [...[...contents.files].filter(file => !written(file)), ...contents.others].sort();
}

function checkFile(chart: Chart, file: string): string {
  const normalized = path.normalize(file);
  const outside = normalized === '..' || normalized.startsWith(`..${path.sep}`);
  if (path.isAbsolute(file) || outside || !file.endsWith('.yaml')) {
    throw new Error(`${chart.node.path}: fileOf: "${file}" is not a .yaml path inside outdir. `
      + `Fix: return a relative path such as "${chart.node.id}.yaml"`);
  }
  return normalized.split(path.sep).join('/');
}

/**
 * A file that is also a folder of another chart's file (`a.yaml` and `a.yaml/b.yaml`) cannot be
 * written; two files whose paths differ only in case (`Shop.yaml`, `shop.yaml`) are one file on
 * macOS and Windows, where the second would overwrite the first.
 */
function checkCollisions(files: ReadonlyMap<Chart, string>): void {
  const byFile = new Map([...files].map(([chart, file]) => [file, chart]));
  const byFolded = new Map<string, string>();
  for (const file of byFile.keys()) {
    const other = byFolded.get(file.toLowerCase());
    if (other !== undefined) {
      const [chart, otherChart] = [byFile.get(file)!, byFile.get(other)!];
      throw new Error(`${chart.node.path}: fileOf: "${file}" differs from "${other}" (the file of chart ${otherChart.node.path}) `
        + 'only in case: on macOS and Windows they are one file. Fix: map the two charts to names that differ in more than case');
    }
    byFolded.set(file.toLowerCase(), file);
  }
  for (const [chart, file] of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const other = byFile.get(folder);
      if (other) {
        throw new Error(`${chart.node.path}: fileOf: "${file}" needs a folder "${folder}", which is the file of chart ${other.node.path}. `
          + 'Fix: map the two charts to paths that do not nest');
      }
    }
  }
}
