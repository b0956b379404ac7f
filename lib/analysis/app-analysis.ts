import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SUPPRESS_ANNOTATION, analyze } from './analyze';
import { AnalysisInput } from './mesh-index';
import { AnalysisMessage, MessageCode, formatMessage } from './messages';

const ID = 'cdk8s-istio.Analysis';
const LIBRARY_CONSTRUCTS = new WeakSet<IConstruct>();
const TYPED_OBJECTS = new WeakSet<ApiObject>();

/** A set of charts applied together: the base charts, or the base plus one overlay chart. */
export interface ChartSet {
  /** A name for messages (`base` or the overlay chart's path). */
  readonly name: string;
  /** The charts, base first; an overlay's objects replace base objects with the same identity. */
  readonly charts: readonly Chart[];
}

/**
 * Runs the mesh analyzers when an app is synthesized, so `app.synth()` and `cdk8s synth` fail on
 * errors (with code, resource, field and construct path) and print warnings. The library's
 * constructs attach it to their app; call `AppAnalysis.of(scope)` to attach it to any app.
 *
 * Charts are analyzed together, except overlays (`AppAnalysis.of(app).addOverlay(chart)`):
 * alternatives applied one at a time on top of the others, like Bookinfo's traffic scenarios.
 */
export class AppAnalysis extends Construct {
  /** The analysis of the app `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): AppAnalysis {
    const app = App.of(scope);
    return (app.node.tryFindChild(ID) as AppAnalysis | undefined) ?? new AppAnalysis(app, ID);
  }

  /**
   * @internal Records a library construct: its API objects are rendered from typed props, so the
   * synth-time analysis skips their schema check.
   */
  public static _register(construct: IConstruct): AppAnalysis {
    LIBRARY_CONSTRUCTS.add(construct);
    return AppAnalysis.of(construct);
  }

  /**
   * @internal Records a plain ApiObject a library construct builds only from typed, checked props
   * (a MeshService's Deployments): like the L1 classes' output, it skips the synth-time schema check.
   */
  public static _registerTyped(object: ApiObject): void {
    TYPED_OBJECTS.add(object);
  }

  private readonly overlays = new Set<Chart>();
  private deferred = false;
  private disabledBecause?: string;
  private cached?: { readonly size: number; readonly errors: string[] };

  private constructor(scope: App, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => (this.deferred || !this.enabled ? [] : this.errorsOnce()) });
  }

  /**
   * `app.synth()` validates the whole app once per chart; the analysis runs once per synthesis:
   * its result is reused within the same turn of the event loop while the tree keeps its size
   * (and `suppressAnalysis()` has not been called since).
   */
  private errorsOnce(): string[] {
    const size = App.of(this).node.findAll().length;
    if (this.cached?.size !== size) {
      this.cached = { size, errors: this.run().filter(m => m.level === 'Error').map(formatMessage) };
      setImmediate(() => { this.cached = undefined; });
    }
    return this.cached.errors;
  }

  /** Whether synthesis runs the analysis. */
  public get enabled(): boolean {
    return this.disabledBecause === undefined;
  }

  /**
   * Turns the analysis off for this app (an escape hatch: prefer the suppress annotation on the
   * resource, `suppressAnalysis()`, which silences one code on one resource).
   * @param reason why, for the next reader of the code
   */
  public disable(reason: string): void {
    this.disabledBecause = reason;
  }

  /** @internal Forgets the result kept for the current synthesis (the app changed without growing). */
  public _invalidate(): void {
    this.cached = undefined;
  }

  /** Marks a chart as an overlay: analyzed with the base charts, not with the other overlays. */
  public addOverlay(chart: Chart): void {
    this.overlays.add(chart);
  }

  /**
   * @internal While `deferred`, validation skips the analysis: `writeManifests` runs it itself on
   * what it renders, instead of validation rendering everything again.
   */
  public _setDeferred(deferred: boolean): void {
    this.deferred = deferred;
  }

  /** The chart sets analyzed: the base charts, then the base with each overlay. */
  public chartSets(charts: readonly Chart[] = App.of(this).charts): ChartSet[] {
    const base = charts.filter(c => !this.overlays.has(c));
    return [{ name: 'base', charts: base }, ...charts.filter(c => this.overlays.has(c)).map(c => ({ name: c.node.path, charts: [...base, c] }))];
  }

  /**
   * Analyzes every chart set (rendering each object with `toJson()`, or with `render`); prints
   * warnings and infos to stderr and returns every message, each once.
   */
  public run(render: (chart: Chart) => AnalysisInput[] = renderChart, charts?: readonly Chart[]): AnalysisMessage[] {
    const rendered = new Map<Chart, AnalysisInput[]>();
    const inputsOf = (chart: Chart) => rendered.get(chart) ?? rendered.set(chart, render(chart)).get(chart)!;
    const seen = new Map<string, AnalysisMessage>();
    for (const set of this.chartSets(charts)) {
      for (const m of analyze(set.charts.flatMap(inputsOf))) seen.set(JSON.stringify(m), m);
    }
    const messages = [...seen.values()];
    for (const m of messages.filter(x => x.level !== 'Error')) process.stderr.write(`${formatMessage(m)}\n`);
    return messages;
  }
}

/** Suppresses analysis codes on the resource of a library construct, as istioctl's annotation does. */
export function suppressAnalysis(construct: { readonly resource: ApiObject }, codes: readonly MessageCode[]): void {
  const existing: string | undefined = construct.resource.metadata.toJson().annotations?.[SUPPRESS_ANNOTATION];
  const all = new Set([...(existing ? existing.split(',') : []), ...codes]);
  construct.resource.metadata.addAnnotation(SUPPRESS_ANNOTATION, [...all].join(','));
  AppAnalysis.of(construct.resource)._invalidate();
}

/** The analysis inputs of a chart: each API object rendered, with the construct that produced it. */
export function renderChart(chart: Chart): AnalysisInput[] {
  return chart.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map(o => inputOf(o));
}

/** The analysis input of one API object, rendered. */
export function inputOf(o: ApiObject): AnalysisInput {
  // Typed: an L1 class inside a library construct, or a plain ApiObject built from checked props.
  const typed = TYPED_OBJECTS.has(o) || (Object.getPrototypeOf(o) !== ApiObject.prototype && o.node.scope !== undefined && LIBRARY_CONSTRUCTS.has(o.node.scope));
  return {
    doc: o.toJson(),
    typed,
    // The path is only needed for the objects a message names.
    get constructPath() { return constructPathOf(o); },
  };
}

/** The construct path a message names for an API object: its L2 construct's when it is the `Resource` child. */
export function constructPathOf(o: ApiObject): string {
  return o.node.id === 'Resource' && o.node.scope ? o.node.scope.node.path : o.node.path;
}
