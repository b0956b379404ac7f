import { HELLO_DEMO_IMAGE, helloDemoApp } from '../../apps/hello-demo';
import { routeOf, simulate, synthesize } from '../../lib';
import { Doc, findDoc } from '../support/constructs';

/**
 * The tutorial's hello demo, resource by resource: `kubectl run hellodemo --image=harshal0812/istiodemo
 * --port=9095`, the Service `helloworldservice` on 9095, a Gateway and a VirtualService for
 * `/helloWorld/sayHello`, and the NodePort Service the tutorial reaches the ingress gateway through.
 */
const NS = 'hello-demo';
const { app, demo, fileOf } = helloDemoApp();
const files = Object.fromEntries(app.charts.map(chart => [fileOf(chart), chart.toJson() as Doc[]]));
const docs = files['hello-demo.yaml'];

describe('hello-demo', () => {
  test('two files: hello-demo.yaml and nodeport/istio-ingressgateway-nodeport.yaml', () => {
    expect(Object.keys(files).sort()).toEqual(['hello-demo.yaml', 'nodeport/istio-ingressgateway-nodeport.yaml']);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/hello-demo', 'Service/helloworldservice', 'ServiceAccount/helloworldservice', 'Deployment/helloworldservice',
      'Gateway/hellodemo-gateway', 'VirtualService/hellodemo',
    ]);
  });

  test('the namespace is injected, and the Service helloworldservice serves port 9095 (named http) to the demo\'s pods', () => {
    expect(findDoc(docs, 'Namespace', NS).metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    expect(findDoc(docs, 'Service', 'helloworldservice').spec).toEqual({
      ports: [{ name: 'http', port: 9095 }], selector: { app: 'helloworldservice' },
    });
  });

  test('the Deployment runs the tutorial\'s image on container port 9095, as its own ServiceAccount', () => {
    const deployment = findDoc(docs, 'Deployment', 'helloworldservice');
    expect(deployment.spec.replicas).toBe(1);
    const pod = deployment.spec.template;
    expect(pod.metadata.labels).toEqual({ app: 'helloworldservice' });
    expect(pod.spec.serviceAccountName).toBe('helloworldservice');
    expect(pod.spec.containers).toHaveLength(1);
    expect(pod.spec.containers[0]).toEqual(expect.objectContaining({ image: HELLO_DEMO_IMAGE, ports: [{ containerPort: 9095 }] }));
    expect(HELLO_DEMO_IMAGE).toBe('harshal0812/istiodemo');
  });

  test('the Gateway takes HTTP on port 80 for any host on the default ingress gateway, and the VirtualService sends /helloWorld/sayHello to the service', () => {
    expect(findDoc(docs, 'Gateway', 'hellodemo-gateway').spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    });
    expect(findDoc(docs, 'VirtualService', 'hellodemo').spec).toEqual({
      hosts: ['*'],
      gateways: ['hellodemo-gateway'],
      http: [{ match: [{ uri: { prefix: '/helloWorld/sayHello' } }], route: [{ destination: { host: 'helloworldservice' } }] }],
    });
  });

  test('through the ingress gateway, /helloWorld/sayHello reaches helloworldservice:9095 and nothing else is routed (route simulation)', () => {
    const chart = app.charts.find(c => c === demo)!;
    const viaGateway = { gateway: `${NS}/hellodemo-gateway`, namespace: 'istio-system' };
    // The node port forwards to the gateway Service's port 80, the Gateway server's port.
    expect(routeOf(chart, { host: '192.168.49.2', port: 80, path: '/helloWorld/sayHello', query: { name: 'istio' }, from: viaGateway }))
      .toEqual([{ host: `helloworldservice.${NS}.svc.cluster.local`, percent: 100 }]);
    expect(simulate(chart, { host: '192.168.49.2', port: 80, path: '/other', from: viaGateway }).outcome).toBe('no-route');
  });

  test('the NodePort Service exposes the ingress gateway\'s HTTP port 8080 on node port 30080', () => {
    const [nodePort] = files['nodeport/istio-ingressgateway-nodeport.yaml'];
    expect(nodePort.metadata).toEqual({ name: 'istio-ingressgateway-nodeport', namespace: 'istio-system' });
    expect(nodePort.spec).toEqual({
      type: 'NodePort', selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8080, nodePort: 30080 }],
    });
  });

  test('the app synthesizes with no finding', () => {
    expect(synthesize(helloDemoApp().app).messages.map(m => `${m.code} ${m.resource.kind}/${m.resource.name}`)).toEqual([]);
  });
});
