import { IConstruct } from 'constructs';
import { checkBooleans, checkMember } from '../core/check';
import { checkQuantity } from '../core/checks';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { checkAnnotationKeys, checkDnsLabel, checkLabels, checkNamespaceName } from '../core/names';
import type { ResourceQuantities } from '../workload/workload-version';

/** The type of a gateway's Kubernetes Service. */
export enum GatewayServiceType {
  /** Reachable inside the cluster only (Istio's default for the egress gateway). */
  CLUSTER_IP = 'ClusterIP',
  /** Reachable on every node's IP at the ports' `nodePort`s: clusters without a load balancer (kind, minikube, bare metal). */
  NODE_PORT = 'NodePort',
  /** An external load balancer of the cloud provider (Istio's default for ingress gateways). */
  LOAD_BALANCER = 'LoadBalancer',
}

/** One port of a gateway's Service. */
export interface GatewayServicePort {
  /** The port name, e.g. `http2`, `https`, `status-port`. */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /**
   * The port the gateway's Envoy listens on.
   * @default the port plus 8000 below 1024 (80 → 8080, 443 → 8443, as Istio's gateway charts), else the port
   */
  readonly targetPort?: number;
  /**
   * The node port, for Services of type NodePort or LoadBalancer.
   * @default none (Kubernetes allocates one for NodePort and LoadBalancer Services)
   */
  readonly nodePort?: number;
}

/** A gateway Service port with its target port. */
export interface ResolvedServicePort extends GatewayServicePort {
  /** The port Envoy listens on. */
  readonly targetPort: number;
}

/** Replica bounds of a gateway's HorizontalPodAutoscaler. */
export interface GatewayAutoscaling {
  /** The fewest replicas. */
  readonly minReplicas: number;
  /** The most replicas. */
  readonly maxReplicas: number;
}

/** CPU and memory of the gateway's Envoy container. */
export interface ComponentResources {
  /**
   * Requests.
   * @default Istio's (100m CPU, 128Mi memory for gateways)
   */
  readonly requests?: ResourceQuantities;
  /**
   * Limits.
   * @default Istio's (2 CPUs, 1Gi memory for gateways)
   */
  readonly limits?: ResourceQuantities;
}

/** An ingress or egress gateway of a {@link MeshInstall}. */
export interface GatewayComponentProps {
  /** The gateway's name: its Deployment, Service and (for Helm) release name, e.g. `istio-ingressgateway`. */
  readonly name: string;
  /**
   * Whether it is installed; `false` turns off a gateway the profile enables.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The namespace it runs in.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * The labels of its pods, which Gateway resources select (`selector: { istio: ingressgateway }`).
   * @default { app: <name>, istio: <name without its "istio-" prefix> } (`istio: ingressgateway` for `istio-ingressgateway`)
   */
  readonly labels?: Record<string, string>;
  /**
   * A fixed number of replicas (the autoscaler, if any, is held to it).
   * @default Istio's autoscaling (1 to 5 replicas)
   */
  readonly replicas?: number;
  /**
   * Autoscaling bounds instead of a fixed number.
   * @default Istio's (1 to 5 replicas)
   */
  readonly autoscaling?: GatewayAutoscaling;
  /**
   * Resources of the Envoy container.
   * @default Istio's
   */
  readonly resources?: ComponentResources;
  /**
   * The Service type.
   * @default LOAD_BALANCER for an ingress gateway, CLUSTER_IP for an egress gateway
   */
  readonly serviceType?: GatewayServiceType;
  /**
   * The Service ports.
   * @default status-port 15021, http2 80 → 8080, https 443 → 8443 for an ingress gateway; http2 and https for an egress gateway
   */
  readonly ports?: GatewayServicePort[];
  /**
   * Annotations of the Service (e.g. a cloud load balancer's settings).
   * @default none
   */
  readonly serviceAnnotations?: Record<string, string>;
}

/** Whether a gateway carries traffic into the mesh or out of it. */
export type GatewayDirection = 'ingress' | 'egress';

/** A gateway with every default applied and every field checked. */
export interface ResolvedGateway {
  /** Ingress or egress. */
  readonly direction: GatewayDirection;
  /** Where it was given, e.g. `ingressGateways[0]` (or the profile's default gateway). */
  readonly field: string;
  /** The name. */
  readonly name: string;
  /** Whether it is installed. */
  readonly enabled: boolean;
  /** The namespace. */
  readonly namespace: string;
  /** Its pods' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** A fixed replica count. */
  readonly replicas?: number;
  /** Autoscaling bounds. */
  readonly autoscaling?: GatewayAutoscaling;
  /** Envoy's resources. */
  readonly resources?: ComponentResources;
  /** The Service type. */
  readonly serviceType: GatewayServiceType;
  /** The Service ports, target ports filled in. */
  readonly ports: readonly ResolvedServicePort[];
  /** Service annotations. */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
}

const INGRESS_PORTS: readonly GatewayServicePort[] = [
  { name: 'status-port', port: 15021, targetPort: 15021 }, { name: 'http2', port: 80 }, { name: 'https', port: 443 },
];
const EGRESS_PORTS: readonly GatewayServicePort[] = [{ name: 'http2', port: 80 }, { name: 'https', port: 443 }];

/** The Helm releases of the install itself: a gateway of one of these names would share its values file. */
const RESERVED_RELEASES: readonly string[] = ['istio-base', 'istiod', 'istio-cni', 'ztunnel'];

/** The longest Helm release name (Helm refuses longer ones). */
const MAX_RELEASE_NAME = 53;

/** Checks the requests and limits of a component's resources: each a non-negative Kubernetes quantity ({@link checkQuantity}). */
export function checkResourceQuantities(scope: IConstruct, field: string, resources: ComponentResources | undefined): void {
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, quantity] of Object.entries(resources?.[kind] ?? {})) {
      checkQuantity(scope, `${field}.${kind}.${resource}`, String(quantity));
    }
  }
}

/** The labels Istio's charts give a gateway of this name. */
export function defaultGatewayLabels(name: string): Record<string, string> {
  return { app: name, istio: name.startsWith('istio-') ? name.slice('istio-'.length) : name };
}

/** Applies the defaults to one gateway and checks it (node port ranges are checked by the install, which knows the range). */
export function resolveGateway(scope: IConstruct, field: string, direction: GatewayDirection,
  props: GatewayComponentProps): ResolvedGateway {
  const name = checkDnsLabel(scope, `${field}.name`, props.name);
  if (RESERVED_RELEASES.includes(name)) {
    throw new MeshConfigError(scope, `${field}.name`, `"${name}" is the name of one of Istio's own Helm releases `
      + `(${RESERVED_RELEASES.join(', ')}), whose values file the gateway's would replace`,
    'name the gateway otherwise, e.g. istio-ingressgateway');
  }
  if (name.length > MAX_RELEASE_NAME) {
    throw new MeshConfigError(scope, `${field}.name`, `"${name}" has ${name.length} characters; it names the gateway's Helm release, `
      + `which Helm limits to ${MAX_RELEASE_NAME}`, `use at most ${MAX_RELEASE_NAME} characters`);
  }
  checkBooleans(scope, field, props, ['enabled']);
  const enabled = props.enabled ?? true;
  const serviceType = checkMember(scope, `${field}.serviceType`,
    props.serviceType ?? (direction === 'ingress' ? GatewayServiceType.LOAD_BALANCER : GatewayServiceType.CLUSTER_IP),
    GatewayServiceType, 'GatewayServiceType');
  if (props.replicas !== undefined && props.autoscaling !== undefined) {
    throw new MeshConfigError(scope, `${field}.replicas`, 'replicas and autoscaling are both set',
      'set replicas for a fixed count or autoscaling for bounds, not both');
  }
  if (props.replicas !== undefined) checkCount(scope, `${field}.replicas`, props.replicas, 1);
  if (props.autoscaling) {
    const { minReplicas, maxReplicas } = props.autoscaling;
    checkCount(scope, `${field}.autoscaling.minReplicas`, minReplicas, 1);
    checkCount(scope, `${field}.autoscaling.maxReplicas`, maxReplicas, minReplicas);
  }
  checkResourceQuantities(scope, `${field}.resources`, props.resources);
  const ports = (props.ports ?? (direction === 'ingress' ? INGRESS_PORTS : EGRESS_PORTS)).map((p, i) => {
    const at = `${field}.ports[${i}]`;
    checkDnsLabel(scope, `${at}.name`, p.name);
    checkPort(scope, `${at}.port`, p.port);
    const targetPort = checkPort(scope, `${at}.targetPort`, p.targetPort ?? (p.port < 1024 ? p.port + 8000 : p.port));
    if (p.nodePort !== undefined && serviceType === GatewayServiceType.CLUSTER_IP) {
      throw new MeshConfigError(scope, `${at}.nodePort`, 'a ClusterIP Service has no node ports',
        'set serviceType: GatewayServiceType.NODE_PORT (or LOAD_BALANCER), or remove the nodePort');
    }
    return { ...p, targetPort };
  });
  if (enabled && ports.length === 0) {
    throw new MeshConfigError(scope, `${field}.ports`, 'the gateway has no ports',
      'list at least one port, or leave ports out for Istio\'s');
  }
  for (const key of ['name', 'port'] as const) {
    const seen = new Set<string | number>();
    ports.forEach((p, i) => {
      if (seen.has(p[key])) {
        const [given, what] = key === 'port' ? [`port ${p.port}`, 'number'] : [`"${p.name}"`, 'name'];
        throw new MeshConfigError(scope, `${field}.ports[${i}].${key}`, `${given} is already a port ${what} of ${name}`,
          `give every port of the gateway its own ${key}`);
      }
      seen.add(p[key]);
    });
  }
  return {
    direction,
    field,
    name,
    enabled,
    serviceType,
    ports,
    namespace: checkNamespaceName(scope, `${field}.namespace`, props.namespace ?? 'istio-system'),
    labels: checkLabels(scope, `${field}.labels`, props.labels ?? defaultGatewayLabels(name)),
    replicas: props.replicas,
    autoscaling: props.autoscaling,
    resources: props.resources,
    serviceAnnotations: checkAnnotationKeys(scope, `${field}.serviceAnnotations`, props.serviceAnnotations),
  };
}

function checkCount(scope: IConstruct, field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new MeshConfigError(scope, field, `${value} is not a whole number of at least ${min}`, `use an integer of ${min} or more`);
  }
}

function checkPort(scope: IConstruct, field: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MeshConfigError(scope, field, `${port} is not a port number`, 'use an integer from 1 to 65535');
  }
  return port;
}

/** The gateway as an entry of the IstioOperator's `components.ingressGateways` / `egressGateways`. */
export function gatewayComponent(gateway: ResolvedGateway): Record<string, unknown> {
  if (!gateway.enabled) return { name: gateway.name, enabled: false };
  const hpaSpec = gateway.replicas !== undefined
    ? { minReplicas: gateway.replicas, maxReplicas: gateway.replicas }
    : gateway.autoscaling && { ...gateway.autoscaling };
  return {
    name: gateway.name,
    enabled: true,
    namespace: gateway.namespace,
    label: { ...gateway.labels },
    k8s: compact({
      replicaCount: gateway.replicas,
      hpaSpec,
      resources: gateway.resources && compact({ ...gateway.resources }),
      service: { type: gateway.serviceType, ports: gateway.ports.map(servicePort) },
      serviceAnnotations: gateway.serviceAnnotations && { ...gateway.serviceAnnotations },
    }),
  };
}

/**
 * The ServiceAccount istioctl gives a gateway component (`<name>-service-account`): the Helm
 * values name it too, so that a policy's principal for the gateway holds with either install (the
 * `gateway` chart would name it after the release).
 */
function gatewayServiceAccount(name: string): string {
  return `${name}-service-account`;
}

/** The values file of Istio's `gateway` Helm chart for the gateway (installed as release `<name>` in its namespace). */
export function gatewayHelmValues(gateway: ResolvedGateway): Record<string, unknown> {
  return compact<Record<string, unknown>>({
    labels: { ...gateway.labels },
    serviceAccount: { name: gatewayServiceAccount(gateway.name) },
    replicaCount: gateway.replicas,
    autoscaling: gateway.replicas !== undefined ? { enabled: false } : gateway.autoscaling && { enabled: true, ...gateway.autoscaling },
    resources: gateway.resources && compact({ ...gateway.resources }),
    service: compact({
      type: gateway.serviceType,
      ports: gateway.ports.map(servicePort),
      annotations: gateway.serviceAnnotations && { ...gateway.serviceAnnotations },
    }),
  })!;
}

function servicePort(port: GatewayServicePort): Record<string, unknown> {
  return compact<Record<string, unknown>>({
    name: port.name,
    port: port.port,
    protocol: 'TCP',
    targetPort: port.targetPort,
    nodePort: port.nodePort,
  })!;
}
