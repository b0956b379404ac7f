import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { AnalysisInput } from '../analysis/mesh-index';

/**
 * Rendering, the first steps of the synth pipeline: which charts an app has and in which order,
 * and each chart's API objects rendered once to plain JSON with the construct that made them.
 */

/**
 * The app's charts in the order cdk8s synthesizes them. Without any dependency between
 * constructs that order is the construct order, which is much cheaper to get than cdk8s's
 * dependency graph over the whole tree.
 */
export function chartsOf(app: App, constructs: readonly IConstruct[]): Chart[] {
  const hasDependencies = constructs.some(c => c.node.dependencies.length > 0);
  if (!hasDependencies) return constructs.filter((c): c is Chart => c instanceof Chart);
  addApiObjectDependencies(constructs);
  return app.charts;
}

/**
 * A chart's own API objects in dependency (then construct) order, each rendered once. Without
 * dependencies that order is the construct order, so the graph is only built when one exists.
 */
export function renderChart(chart: Chart): AnalysisInput[] {
  const constructs = chart.node.findAll();
  const ordered = constructs.some(c => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : constructs;
  return ordered.filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart).map(inputOf);
}

/** The rendered document of one API object, with the construct path messages name (computed when asked). */
export function inputOf(o: ApiObject): AnalysisInput {
  return {
    doc: o.toJson(),
    get constructPath() { return constructPathOf(o); },
  };
}

/** The construct path a message names for an API object: its L2 construct's when it is the `Resource` child. */
export function constructPathOf(o: ApiObject): string {
  return o.node.id === 'Resource' && o.node.scope ? o.node.scope.node.path : o.node.path;
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
