import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { AnalysisInput } from '../analysis/mesh-index';
import { LibraryApiObject } from '../core/library-api-object';

/**
 * Rendering, the first steps of the synth pipeline: which charts an app has and in which order,
 * and each chart's API objects rendered once to plain JSON with the construct that made them.
 */

/** An app's charts in synthesis order, and whether any depends on another (cdk8s then numbers its files). */
export interface AppCharts {
  /** The charts in the order cdk8s synthesizes them. */
  readonly charts: Chart[];
  /** Whether a chart depends on another: a chart nested in another, or a dependency between constructs of two charts. */
  readonly dependant: boolean;
}

/**
 * The app's charts in the order cdk8s synthesizes them. Without nested charts or any dependency
 * between constructs that order is the construct order, which is much cheaper to get than
 * cdk8s's dependency graph over the whole tree; otherwise the dependencies are added as cdk8s
 * adds them before it orders (parent chart on nested chart, chart on chart, object on object).
 */
export function chartsOf(app: App, constructs: readonly IConstruct[]): AppCharts {
  const charts = constructs.filter((c): c is Chart => c instanceof Chart);
  const nested = charts.filter(parent => parent.node.children.some(c => c instanceof Chart));
  if (nested.length === 0 && !constructs.some(c => c.node.dependencies.length > 0)) return { charts, dependant: false };
  for (const parent of nested) for (const child of parent.node.children) if (child instanceof Chart) parent.node.addDependency(child);
  const crossChart = addConstructDependencies(constructs);
  return { charts: app.charts, dependant: nested.length > 0 || crossChart };
}

/**
 * A chart's own API objects in dependency (then construct) order, each rendered once. Without
 * dependencies that order is the construct order, so the graph is only built when one exists.
 */
export function renderChart(chart: Chart): RenderedObject[] {
  const constructs = chart.node.findAll();
  const ordered = constructs.some(c => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : constructs;
  return ordered.filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart).map(inputOf);
}

/** One API object rendered: its document, the object, and the construct path messages name. */
export interface RenderedObject extends AnalysisInput {
  /** The API object the document was rendered from. */
  readonly object: ApiObject;
  /**
   * The construct path messages name: the L2 construct's for a `Resource` child. A getter
   * (computed when read, not an own property): a copy of the object must read it explicitly.
   */
  readonly constructPath: string;
  /**
   * Whether the document came from a rendering that gives plain JSON data only: cdk8s's, the
   * library's, or a generated L1 class's `toJson()`; any other override may return anything.
   */
  readonly plainData: boolean;
}

/** The rendered document of one API object, with the construct path messages name (computed when asked). */
export function inputOf(o: ApiObject): RenderedObject {
  return new Rendered(o.toJson(), o);
}

/** A {@link RenderedObject}: one class, so that the many made share one shape and the path getter. */
class Rendered implements RenderedObject {
  public readonly plainData: boolean;

  constructor(public readonly doc: RenderedObject['doc'], public readonly object: ApiObject) {
    this.plainData = rendersPlainData(object);
  }

  public get constructPath(): string {
    return constructPathOf(this.object);
  }
}

/**
 * Whether an API object's `toJson()` is one that gives plain JSON data: cdk8s's own, the library's
 * (LibraryApiObject), or that of a class cdk8s's importer generated (own static `GVK` and
 * `manifest`, its `toJson()` cdk8s's rendering then the generated conversion). Any other override
 * may return anything.
 */
function rendersPlainData(o: ApiObject): boolean {
  const toJson = o.toJson;
  if (toJson === ApiObject.prototype.toJson || toJson === LibraryApiObject.prototype.toJson) return true;
  const type = o.constructor as { readonly prototype: object };
  const own = (key: string) => Object.prototype.hasOwnProperty.call(type, key);
  return own('GVK') && own('manifest') && toJson === (type.prototype as ApiObject).toJson;
}

/** The construct path a message names for an API object: its L2 construct's when it is the `Resource` child. */
export function constructPathOf(o: ApiObject): string {
  return o.node.id === 'Resource' && o.node.scope ? o.node.scope.node.path : o.node.path;
}

/**
 * Turns dependencies between constructs into dependencies between their charts (when they differ)
 * and between the API objects they contain (each within its own chart), as cdk8s does before
 * ordering; returns whether a dependency crosses charts.
 */
function addConstructDependencies(constructs: readonly IConstruct[]): boolean {
  const apiObjects = (c: IConstruct, chart: Chart) => c.node.findAll().filter(o => o instanceof ApiObject && Chart.of(o) === chart);
  const dependencies = constructs.flatMap(source => source.node.dependencies.map(target => ({ source, target })));
  let crossChart = false;
  for (const { source, target } of dependencies) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      crossChart = true;
    }
    for (const t of apiObjects(target, targetChart)) {
      for (const s of apiObjects(source, sourceChart)) if (s !== t) s.node.addDependency(t);
    }
  }
  return crossChart;
}
