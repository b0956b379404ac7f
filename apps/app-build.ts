import { App, Chart } from 'cdk8s';

/** A built app: its construct tree and the file (relative to its dist folder) each chart goes to. */
export interface AppBuild {
  /** The app. */
  readonly app: App;
  /** The output file of a chart, e.g. `bookinfo.yaml` or `scenarios/virtual-service-reviews-v3.yaml`. */
  readonly fileOf: (chart: Chart) => string;
}
