import { App, Chart } from 'cdk8s';
import { IngressNodePort } from '../../lib';
import { AppBuild, overlay } from '../app-build';
import { HelloDemoChart, HelloDemoProps } from './hello-demo-chart';

export * from './hello-demo-chart';

/** Settings of the hello demo app: the chart's, plus the node port the tutorial calls. */
export interface HelloDemoSettings extends HelloDemoProps {
  /**
   * Node port of `nodeport/istio-ingressgateway-nodeport.yaml` (HTTP).
   * @default 30080
   */
  readonly nodePort?: number;
}

/**
 * The hello demo as an App: `hello-demo.yaml`, and `nodeport/` with a NodePort Service for the
 * ingress gateway (`curl http://<node>:<nodePort>/helloWorld/sayHello`), outside a non-recursive
 * `kubectl apply -f dist/hello-demo/`.
 */
export function helloDemoApp(settings: HelloDemoSettings = {}): AppBuild & { demo: HelloDemoChart } {
  const { nodePort, ...props } = settings;
  const app = new App();
  const demo = new HelloDemoChart(app, 'hello-demo', props);
  const nodePortChart = overlay(new Chart(app, 'istio-ingressgateway-nodeport'));
  new IngressNodePort(nodePortChart, 'ingress', { httpNodePort: nodePort });
  const fileOf = (chart: Chart) => (chart === demo ? 'hello-demo.yaml' : `nodeport/${chart.node.id}.yaml`);
  return { app, demo, fileOf };
}
