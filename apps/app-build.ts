import { App, Chart } from 'cdk8s';
import { AppAnalysis } from '../lib';

/** A built app: its construct tree and the file (relative to its dist folder) each chart goes to. */
export interface AppBuild {
  /** The app. */
  readonly app: App;
  /** The output file of a chart, e.g. `bookinfo.yaml` or `scenarios/virtual-service-reviews-v3.yaml`. */
  readonly fileOf: (chart: Chart) => string;
}

/**
 * Marks a chart as an overlay (a file in a subfolder, applied on its own on top of the base): the
 * synth analyzes it with the base charts, not with the other overlays, whichever way the app is
 * synthesized (`writeManifests`, `app.synth()`, `Testing.synth()`).
 */
export function overlay<T extends Chart>(chart: T): T {
  AppAnalysis.of(chart).addOverlay(chart);
  return chart;
}
