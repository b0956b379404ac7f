import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
import type { Synthesis } from './pipeline';
import type { RenderedObject } from './render';
import { makeFolders } from '../core/folders';

/**
 * What `app.synth()` and `app.synthYaml()` produce for an app holding library constructs, made
 * from the documents the synth pipeline already rendered and checked. cdk8s's own synth would
 * resolve and validate the whole app again for every chart it writes (quadratic in the number of
 * charts); these write the same files instead: the same names, folders and document order for
 * every `yamlOutputType`, and construct-metadata.json when the app records it (as `cdk8s synth`
 * asks for validation plugins). The YAML is formatted as writeManifests formats it.
 */

/** Writes the app's files into `app.outdir`, as cdk8s's `App.synth()` lays them out. */
export function writeAppFiles(app: App, synthesis: Synthesis): void {
  makeFolders(app.outdir);
  const ext = app.outputFileExtension;
  const save = (file: string, objects: readonly RenderedObject[]) => {
    fs.writeFileSync(path.join(app.outdir, file), yamlOf(synthesis, objects));
  };
  const charts = synthesis.charts.map(chart => ({ chart, objects: synthesis.documents.get(chart)! }));
  const chartName = chartNamer(synthesis.dependantCharts);
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      if (charts.length > 0) save(`app${ext}`, charts.flatMap(c => c.objects));
      break;
    case YamlOutputType.FILE_PER_CHART:
      for (const { chart, objects } of charts) save(`${chartName(chart)}${ext}`, objects);
      break;
    case YamlOutputType.FILE_PER_RESOURCE:
      for (const o of charts.flatMap(c => c.objects)) save(`${resourceFileName(o.doc.kind, o.doc.metadata?.name)}${ext}`, [o]);
      break;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      for (const { chart, objects } of charts) {
        const folder = chartName(chart);
        fs.mkdirSync(path.join(app.outdir, folder), { recursive: true });
        // this layout names files after the object, not its rendered document (as cdk8s does)
        for (const o of objects) save(path.join(folder, `${resourceFileName(o.object.kind, o.object.metadata.name)}${ext}`), [o]);
      }
      break;
  }
  if (recordsConstructMetadata(app)) writeConstructMetadata(app.outdir, charts.flatMap(c => c.objects));
}

/** The YAML of every chart's documents, as cdk8s's `App.synthYaml()` joins them. */
export function appYaml(synthesis: Synthesis): string {
  return yamlOf(synthesis, synthesis.charts.flatMap(chart => synthesis.documents.get(chart)!));
}

/** The objects' YAML documents in one text, as cdk8s joins them. */
function yamlOf(synthesis: Synthesis, objects: readonly RenderedObject[]): string {
  return objects.map(synthesis.yamlOf).join('---\n');
}

/** cdk8s's chart file (or folder) names: the chart's DNS label, numbered in order when charts depend on each other. */
function chartNamer(numbered: boolean): (chart: Chart) => string {
  let index = 0;
  return chart => (numbered ? `${String(index++).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart));
}

/** cdk8s's file name of one resource: `<kind>.<name>` without characters outside [0-9a-zA-Z-_.]. */
function resourceFileName(kind: unknown, name: unknown): string {
  return `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

/**
 * Whether the app records construct metadata: its `recordConstructMetadata` prop, which cdk8s
 * keeps private, defaulting to `CDK8S_RECORD_CONSTRUCT_METADATA=true` (set by `cdk8s synth`).
 */
function recordsConstructMetadata(app: App): boolean {
  const prop: unknown = Reflect.get(app, 'recordConstructMetadata');
  return typeof prop === 'boolean' ? prop : process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
}

/** construct-metadata.json as cdk8s writes it: each API object's name and construct path, for validation plugins. */
function writeConstructMetadata(outdir: string, objects: readonly RenderedObject[]): void {
  const resources: Record<string, { path: string }> = {};
  for (const { object } of objects) resources[object.name] = { path: object.node.path };
  fs.writeFileSync(path.join(outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
}
