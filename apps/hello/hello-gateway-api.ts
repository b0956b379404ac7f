import { App, Chart } from 'cdk8s';
import { HelloChart, HelloProps, helloRoute } from './hello-chart';
import { RoutingApi, useRoutingApi } from '../../lib';
import { AppBuild, overlay } from '../app-build';

/**
 * The hello demo rendered to the Gateway API (dist/hello-gateway-api/): `helloworld.yaml`
 * (samples/helloworld/gateway-api/helloworld-gateway.yaml, with the per-version Services of
 * helloworld-versions.yaml) and `scenarios/` with the weighted splits between v1 and v2 of the
 * classic app, as HTTPRoutes to `helloworld-v1` and `helloworld-v2` (90/10 is helloworld-route.yaml).
 * No NodePort file: Istio deploys a gateway Service for each Gateway API Gateway.
 */
export function helloGatewayApiApp(props: HelloProps = {}): AppBuild {
  const app = new App();
  useRoutingApi(app, RoutingApi.GATEWAY_API);
  const hello = new HelloChart(app, 'helloworld', props);
  for (const [v1, v2] of [[90, 10], [50, 50], [0, 100]]) {
    const chart = overlay(new Chart(app, `helloworld-v1-${v1}-v2-${v2}`, { namespace: hello.namespace }));
    helloRoute(chart, hello, [hello.helloworld.version('v1', 5000).withWeight(v1), hello.helloworld.version('v2', 5000).withWeight(v2)]);
  }
  return { app, fileOf: chart => (chart === hello ? 'helloworld.yaml' : `scenarios/${chart.node.id}.yaml`) };
}
