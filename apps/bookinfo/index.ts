import { App, Chart } from 'cdk8s';
import { RoutingApi, useRoutingApi } from '../../lib';
import { AppBuild, overlay } from '../app-build';
import { BookinfoChart, BookinfoProps } from './bookinfo-chart';
import { GATEWAY_API_SCENARIOS } from './bookinfo-gateway-api';
import { BOOKINFO_SCENARIOS, certManagerGateway } from './scenarios';

export * from './bookinfo-chart';
export * from './bookinfo-gateway-api';
export * from './scenarios';

/** The folder (under the app's output folder) holding one file per scenario. */
export const SCENARIO_DIR = 'scenarios';

/**
 * Bookinfo as an App: the base chart (file `bookinfo.yaml`) and one chart per traffic scenario
 * (files `scenarios/<name>.yaml`, outside a non-recursive `kubectl apply -f dist/bookinfo/`).
 * The secure profile (`secure: true`) is the base chart alone, with its security policies.
 * Rendered to the Gateway API (`routingApi`), the scenarios are those of {@link GATEWAY_API_SCENARIOS}.
 */
export function bookinfoApp(props: BookinfoProps = {}): AppBuild & { base: BookinfoChart } {
  const app = new App();
  if (props.routingApi !== undefined) useRoutingApi(app, props.routingApi);
  const base = new BookinfoChart(app, 'bookinfo', props);
  if (props.secure) return { app, base, fileOf: () => 'bookinfo.yaml' };
  const classic = base.gateway.routingApi === RoutingApi.CLASSIC;
  for (const name of classic ? Object.keys(BOOKINFO_SCENARIOS) : GATEWAY_API_SCENARIOS) {
    BOOKINFO_SCENARIOS[name](overlay(new Chart(app, name, { namespace: base.namespace })), base);
  }
  if (classic) overlay(certManagerGateway(app, 'certmanager-gateway'));
  const fileOf = (chart: Chart) => (chart === base ? 'bookinfo.yaml' : `${SCENARIO_DIR}/${chart.node.id}.yaml`);
  return { app, base, fileOf };
}

/** Bookinfo rendered to the Gateway API (dist/bookinfo-gateway-api/): {@link bookinfoApp} with `routingApi: RoutingApi.GATEWAY_API`. */
export function bookinfoGatewayApiApp(props: Omit<BookinfoProps, 'routingApi' | 'secure'> = {}): AppBuild & { base: BookinfoChart } {
  return bookinfoApp({ ...props, routingApi: RoutingApi.GATEWAY_API });
}

/**
 * Bookinfo in ambient mode (dist/bookinfo-ambient/), as Istio's ambient getting-started deploys
 * it: the namespace enrolled in ambient mode with the waypoint `waypoint`, ingress and routes
 * rendered to the Gateway API (the ambient profile has no istio-ingressgateway), and the secure
 * profile's viewer policies written with `allowFrom`, which the library attaches to the waypoint.
 */
export function bookinfoAmbientApp(
  props: Omit<BookinfoProps, 'routingApi' | 'secure' | 'ambient'> = {},
): AppBuild & { base: BookinfoChart } {
  return bookinfoApp({ ...props, secure: true, ambient: true, routingApi: RoutingApi.GATEWAY_API });
}
