import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SUPPRESS_ANNOTATION } from '../analysis/analyze';
import { MESSAGE_TYPES, MessageCode } from '../analysis/messages';
import { describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';

const ID = 'cdk8s-istio.Analysis';

/** A set of charts applied together: the base charts, or the base plus one overlay chart. */
export interface ChartSet {
  /** A name for messages (`base` or the overlay chart's path). */
  readonly name: string;
  /** The charts, base first; an overlay's objects replace base objects with the same identity. */
  readonly charts: readonly Chart[];
}

/**
 * How the synth pipeline analyzes an app (lib/synth/pipeline.ts runs it): which charts are
 * overlays, and whether the mesh analyzers run at all. Every app holding library constructs gets
 * one; `AppAnalysis.of(scope)` finds it (or attaches it to any other app).
 *
 * Charts are analyzed together, except overlays (`AppAnalysis.of(app).addOverlay(chart)`):
 * alternatives applied one at a time on top of the others, like Bookinfo's traffic scenarios.
 * Turning the analysis off never turns off the schema check of the documents.
 */
export class AppAnalysis extends Construct {
  /** The analysis settings of the app `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): AppAnalysis {
    const app = App.of(scope);
    return (app.node.tryFindChild(ID) as AppAnalysis | undefined) ?? new AppAnalysis(app, ID);
  }

  private readonly overlays = new Set<Chart>();
  private disabledBecause?: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /** Whether synthesis runs the mesh analyzers. */
  public get enabled(): boolean {
    return this.disabledBecause === undefined;
  }

  /**
   * Turns the mesh analyzers off for this app (an escape hatch: prefer the suppress annotation on
   * the resource, `suppressAnalysis()`, which silences one code on one resource). The documents
   * are still checked against their schemas.
   * @param reason why, for the next reader of the code
   */
  public disable(reason: string): void {
    this.disabledBecause = reason;
  }

  /** Marks a chart as an overlay: analyzed with the base charts, not with the other overlays. */
  public addOverlay(chart: Chart): void {
    this.overlays.add(chart);
  }

  /** The chart sets analyzed: the base charts, then the base with each overlay. */
  public chartSets(charts: readonly Chart[]): ChartSet[] {
    const base = charts.filter(c => !this.overlays.has(c));
    const withOverlays = charts.filter(c => this.overlays.has(c)).map(c => ({ name: c.node.path, charts: [...base, c] }));
    return [{ name: 'base', charts: base }, ...withOverlays];
  }
}

/**
 * Suppresses analysis codes on an object, as istioctl's annotation does: the resource of a library
 * construct (a VirtualService, a Gateway …), or an ApiObject itself (a MeshService's `service`).
 */
export function suppressAnalysis(construct: { readonly resource: ApiObject } | ApiObject, codes: readonly MessageCode[]): void {
  const resource = construct instanceof ApiObject ? construct : construct?.resource;
  if (!(resource instanceof ApiObject)) {
    throw new Error('suppressAnalysis: construct: must be an ApiObject or a library construct with a resource (its ApiObject), '
      + `not ${describeGiven(construct)}. `
      + 'Fix: pass the construct that renders the object, e.g. a VirtualService, DestinationRule or Gateway');
  }
  codes.forEach((code, i) => {
    if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(MESSAGE_TYPES, code)) {
      throw new MeshConfigError(resource, `suppressAnalysis.codes[${i}]`, `${describeGiven(code)} is not an analysis code`,
        'give codes as the messages print them, e.g. "IST0101" or "KIA0505"');
    }
  });
  const existing: string | undefined = resource.metadata.toJson().annotations?.[SUPPRESS_ANNOTATION];
  const all = new Set([...(existing ? existing.split(',') : []), ...codes]);
  resource.metadata.addAnnotation(SUPPRESS_ANNOTATION, [...all].join(','));
}
