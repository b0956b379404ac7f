import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Destination, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, VirtualService } from '../../lib';

/** Settings of the hello demo. */
export interface HelloProps extends ChartProps {
  /**
   * The namespace (created, with sidecar injection).
   * @default 'helloworld'
   */
  readonly namespace?: string;
  /**
   * Registry of the helloworld images.
   * @default 'registry.istio.io/release' (as upstream)
   */
  readonly imageRegistry?: string;
  /**
   * Tag of the helloworld images.
   * @default '1.0' (as upstream)
   */
  readonly imageTag?: string;
  /**
   * Pod replicas of each version.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * Istio's helloworld sample (helloworld.yaml and helloworld-gateway.yaml): two versions of one
 * service behind the ingress gateway at `/hello`, in an injected namespace.
 */
export class HelloChart extends Chart {
  /** The helloworld service (v1 and v2). */
  public readonly helloworld: MeshService;
  /** The ingress Gateway. */
  public readonly gateway: Gateway;

  constructor(scope: Construct, id: string, props: HelloProps = {}) {
    const namespace = props.namespace ?? 'helloworld';
    super(scope, id, { ...props, namespace });
    new MeshNamespace(this, 'Namespace', { name: namespace });
    const registry = props.imageRegistry ?? 'registry.istio.io/release';
    const image = (version: string) => `${registry}/examples-helloworld-${version}:${props.imageTag ?? '1.0'}`;
    const version = (v: string) => ({ image: image(v), replicas: props.replicas, requests: { cpu: '100m' } });
    this.helloworld = new MeshService(this, 'helloworld', { port: 5000, versions: { v1: version('v1'), v2: version('v2') } });
    this.gateway = new Gateway(this, 'helloworld-gateway', { servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }] });
    helloRoute(this, this, [Destination.toService(this.helloworld, { port: 5000 })]);
  }
}

/** The VirtualService `helloworld`: `/hello` on the gateway to `to`. */
export function helloRoute(scope: Construct, hello: HelloChart, to: Destination[]): VirtualService {
  return new VirtualService(scope, 'helloworld-route', {
    name: 'helloworld', hosts: ['*'], gateways: [hello.gateway], http: [{ match: [HttpMatch.exact('/hello')], to }],
  });
}
