import { App, Chart } from 'cdk8s';
import { Destination, DestinationRule, IngressNodePort, Subset } from '../../lib';
import { AppBuild, overlay } from '../app-build';
import { HelloChart, HelloProps, helloRoute } from './hello-chart';

export * from './hello-chart';
export * from './hello-gateway-api';

/** Settings of the hello app: the chart's, plus the node port of the optional NodePort file. */
export interface HelloSettings extends HelloProps {
  /**
   * Node port of `nodeport/istio-ingressgateway-nodeport.yaml` (HTTP).
   * @default 30080
   */
  readonly nodePort?: number;
}

/**
 * The hello demo as an App: `helloworld.yaml` (the upstream sample), `scenarios/` with weighted
 * splits between v1 and v2, and `nodeport/` with a NodePort Service for the ingress gateway (for
 * clusters without a load balancer), both outside a non-recursive `kubectl apply -f dist/hello/`.
 */
export function helloApp(settings: HelloSettings = {}): AppBuild {
  const { nodePort, ...props } = settings;
  const app = new App();
  const hello = new HelloChart(app, 'helloworld', props);
  for (const [v1, v2] of [[90, 10], [50, 50], [0, 100]]) {
    // Each scenario file carries the DestinationRule its subsets need, so it applies on its own.
    const chart = overlay(new Chart(app, `helloworld-v1-${v1}-v2-${v2}`, { namespace: hello.namespace }));
    const rule = new DestinationRule(chart, 'helloworld-rule', {
      name: 'helloworld', host: hello.helloworld, subsets: [Subset.version('v1'), Subset.version('v2')],
    });
    helloRoute(chart, hello, [
      Destination.toSubset(rule, 'v1', { port: 5000 }).withWeight(v1),
      Destination.toSubset(rule, 'v2', { port: 5000 }).withWeight(v2),
    ]);
  }
  const nodePortChart = overlay(new Chart(app, 'istio-ingressgateway-nodeport'));
  new IngressNodePort(nodePortChart, 'ingress', { httpNodePort: nodePort });
  const fileOf = (chart: Chart) => {
    if (chart === hello) return 'helloworld.yaml';
    if (chart === nodePortChart) return `nodeport/${chart.node.id}.yaml`;
    return `scenarios/${chart.node.id}.yaml`;
  };
  return { app, fileOf };
}
