import { App, Chart } from 'cdk8s';
import { AppBuild, overlay } from '../app-build';
import { BookinfoChart, BookinfoProps } from './bookinfo-chart';
import { BOOKINFO_SCENARIOS, certManagerGateway } from './scenarios';

export * from './bookinfo-chart';
export * from './scenarios';

/** The folder (under the app's output folder) holding one file per scenario. */
export const SCENARIO_DIR = 'scenarios';

/**
 * Bookinfo as an App: the base chart (file `bookinfo.yaml`) and one chart per traffic scenario
 * (files `scenarios/<name>.yaml`, outside a non-recursive `kubectl apply -f dist/bookinfo/`).
 * The secure profile (`secure: true`) is the base chart alone, with its security policies.
 */
export function bookinfoApp(props: BookinfoProps = {}): AppBuild & { base: BookinfoChart } {
  const app = new App();
  const base = new BookinfoChart(app, 'bookinfo', props);
  if (props.secure) return { app, base, fileOf: () => 'bookinfo.yaml' };
  for (const [name, build] of Object.entries(BOOKINFO_SCENARIOS)) {
    build(overlay(new Chart(app, name, { namespace: base.namespace })), base);
  }
  overlay(certManagerGateway(app, 'certmanager-gateway'));
  const fileOf = (chart: Chart) => (chart === base ? 'bookinfo.yaml' : `${SCENARIO_DIR}/${chart.node.id}.yaml`);
  return { app, base, fileOf };
}
