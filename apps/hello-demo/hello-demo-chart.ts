import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Destination, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, VirtualService } from '../../lib';

/** The tutorial's image: a Spring Boot app answering `GET /helloWorld/sayHello` on port 9095. */
export const HELLO_DEMO_IMAGE = 'harshal0812/istiodemo';
/** The port the tutorial runs the image on (`kubectl run ... --port=9095`). */
export const HELLO_DEMO_PORT = 9095;
/** The path the tutorial's Gateway and VirtualService publish. */
export const HELLO_DEMO_PATH = '/helloWorld/sayHello';

/** Settings of the hello demo. */
export interface HelloDemoProps extends ChartProps {
  /**
   * The namespace (created, with sidecar injection).
   * @default 'hello-demo'
   */
  readonly namespace?: string;
  /**
   * The image.
   * @default HELLO_DEMO_IMAGE
   */
  readonly image?: string;
  /**
   * Pod replicas.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * The tutorial's own demo: `kubectl run hellodemo --image=harshal0812/istiodemo --port=9095`
 * exposed as the Service `helloworldservice` on 9095, published at `/helloWorld/sayHello` by a
 * Gateway and a VirtualService on the default ingress gateway, which the tutorial reaches through
 * a NodePort (the app's `nodeport/` file).
 */
export class HelloDemoChart extends Chart {
  /** The Service `helloworldservice` and its workload. */
  public readonly service: MeshService;
  /** The ingress Gateway. */
  public readonly gateway: Gateway;
  /** The route of `/helloWorld/sayHello`. */
  public readonly route: VirtualService;

  constructor(scope: Construct, id: string, props: HelloDemoProps = {}) {
    const namespace = props.namespace ?? 'hello-demo';
    super(scope, id, { ...props, namespace });
    new MeshNamespace(this, 'Namespace', { name: namespace });
    // One unversioned workload (the tutorial's single `kubectl run` pod), as a Deployment named after its Service.
    this.service = new MeshService(this, 'helloworldservice', {
      port: HELLO_DEMO_PORT,
      workload: { image: props.image ?? HELLO_DEMO_IMAGE, replicas: props.replicas },
    });
    this.gateway = new Gateway(this, 'hellodemo-gateway', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    this.route = new VirtualService(this, 'hellodemo', {
      hosts: ['*'],
      gateways: [this.gateway],
      http: [{ match: [HttpMatch.prefix(HELLO_DEMO_PATH)], to: [Destination.toService(this.service)] }],
    });
  }
}
