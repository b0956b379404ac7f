import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { checkDnsLabel } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** Props of {@link IngressNodePort}. */
export interface IngressNodePortProps {
  /**
   * The Service name.
   * @default 'istio-ingressgateway-nodeport'
   */
  readonly name?: string;
  /**
   * The namespace of the ingress gateway pods.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * Labels of the ingress gateway pods.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * Node port forwarded to the gateway's HTTP listener (service port 80, container port 8080).
   * @default 30080
   */
  readonly httpNodePort?: number;
  /**
   * Node port forwarded to the gateway's HTTPS listener (service port 443, container port 8443).
   * @default none (HTTPS not exposed)
   */
  readonly httpsNodePort?: number;
}

/**
 * Exposes the Istio ingress gateway on node ports, for clusters without a load balancer (kind,
 * minikube, bare metal). Rather than editing the `istio-ingressgateway` Service that Istio's
 * installer owns (and would revert), this adds a second NodePort Service selecting the same pods,
 * with the same port mapping (80 to the gateway's 8080, 443 to 8443).
 */
export class IngressNodePort extends Construct {
  /** The L1 Service. */
  public readonly resource: ApiObject;
  /** The HTTP node port. */
  public readonly httpNodePort: number;

  constructor(scope: Construct, id: string, props: IngressNodePortProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    const name = checkDnsLabel(this, 'name', props.name ?? 'istio-ingressgateway-nodeport');
    this.httpNodePort = checkNodePort(this, 'httpNodePort', props.httpNodePort ?? 30080);
    const ports = [{ name: 'http2', port: 80, targetPort: k8s.IntOrString.fromNumber(8080), nodePort: this.httpNodePort }];
    if (props.httpsNodePort !== undefined) {
      const https = checkNodePort(this, 'httpsNodePort', props.httpsNodePort);
      if (https === this.httpNodePort) {
        throw new MeshConfigError(this, 'httpsNodePort', `${https} is already the HTTP node port`, 'use two different node ports');
      }
      ports.push({ name: 'https', port: 443, targetPort: k8s.IntOrString.fromNumber(8443), nodePort: https });
    }
    this.resource = new k8s.KubeService(this, 'Resource', {
      metadata: { name, namespace: props.namespace ?? 'istio-system' },
      spec: { type: 'NodePort', selector: props.selector ?? { istio: 'ingressgateway' }, ports },
    });
  }
}

function checkNodePort(scope: Construct, field: string, port: number): number {
  if (!Number.isInteger(port) || port < 30000 || port > 32767) {
    throw new MeshConfigError(scope, field, `${port} is outside the default node port range`, 'use an integer from 30000 to 32767');
  }
  return port;
}
