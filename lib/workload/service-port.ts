import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import type { MeshServiceProps } from './mesh-service-props';
import { checkMember } from '../core/check';
import { checkPortNumber } from '../core/checks';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { defaultPortName } from '../core/port-names';
import { PortProtocol, portNameMatchesProtocol } from '../core/port-protocol';
import type { ResolvedServicePort } from '../core/workload-refs';

export { PortProtocol, portNameMatchesProtocol, protocolOfPortName } from '../core/port-protocol';

/** A port of a {@link MeshService}. */
export interface MeshServicePort {
  /** The Service port clients connect to. */
  readonly port: number;
  /**
   * The container port traffic is sent to.
   * @default the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The application protocol, which determines the port name Istio classifies.
   * @default PortProtocol.HTTP
   */
  readonly protocol?: PortProtocol;
  /**
   * The port name. It must be the protocol's name or start with it followed by `-`
   * (e.g. `http-web` for HTTP), so that Istio classifies it.
   * @default the protocol name (`http`) for the first port of a protocol, `<protocol>-<port>` for later ones
   */
  readonly name?: string;
}

/**
 * The ports Istio's proxy uses in a pod (Istio's "Ports used by Istio"), by what each is for; Istio
 * tells applications not to use them. In sidecar mode Envoy and pilot-agent listen on them in the
 * pod (some on localhost, some only with a setting such as DNS capture); in ambient mode ztunnel
 * listens on 15001, 15006, 15008 and 15053 in the pod's network namespace.
 */
const PROXY_PORTS: ReadonlyMap<number, string> = new Map([
  [15000, 'admin'], [15001, 'outbound capture'], [15002, 'failure detection'], [15004, 'debug'], [15006, 'inbound capture'],
  [15008, 'HBONE tunnel'], [15020, 'merged metrics'], [15021, 'health check'], [15053, 'DNS proxy'], [15090, 'Envoy metrics'],
]);

/** The ports of `props` (exactly one of `port` and `ports`), checked and named as Istio classifies them. */
export function resolveServicePorts(scope: IConstruct, props: Pick<MeshServiceProps, 'port' | 'ports'>): ResolvedServicePort[] {
  if ((props.port === undefined) === (props.ports === undefined)) {
    throw new MeshConfigError(scope, 'port', 'exactly one of port and ports is required',
      'set port: 8080 for a single HTTP port, ports: [...] for several, or ports: [] for a workload nothing calls');
  }
  const specs: MeshServicePort[] = props.ports ?? [{ port: props.port! }];
  const seenNames = new Set<string>();
  const seenPorts = new Set<number>();
  return specs.map((spec, i) => {
    const field = props.ports ? `ports[${i}]` : 'port';
    // the single `port` prop is its own field; a `ports` entry's members are named in it
    checkPortNumber(scope, props.ports ? `${field}.port` : field, spec.port);
    if (spec.targetPort !== undefined) checkPortNumber(scope, `${field}.targetPort`, spec.targetPort);
    const containerPort = spec.targetPort ?? spec.port;
    const proxyUse = PROXY_PORTS.get(containerPort);
    if (proxyUse !== undefined) {
      throw new MeshConfigError(scope, spec.targetPort !== undefined ? `${field}.targetPort` : props.ports ? `${field}.port` : field,
        `container port ${containerPort} is the Istio proxy's ${proxyUse} port, which Istio tells applications not to use: `
        + 'the app and the proxy in its pod would clash',
        `listen on another port (Istio's proxy uses ${[...PROXY_PORTS.keys()].join(', ')}); the Service port may stay ${spec.port} `
        + 'with targetPort set to the new one');
    }
    const protocol = checkMember(scope, `${field}.protocol`, spec.protocol ?? PortProtocol.HTTP, PortProtocol, 'PortProtocol');
    const name = spec.name ?? defaultPortName(protocol, spec.port, specs.slice(0, i).map(s => s.protocol ?? PortProtocol.HTTP));
    if (!portNameMatchesProtocol(name, protocol)) {
      throw new MeshConfigError(scope, `${field}.name`, `"${name}" does not tell Istio the port speaks ${protocol}`,
        `name it "${protocol}" or "${protocol}-<suffix>", or omit name to get "${protocol}"`);
    }
    if (seenNames.has(name) || seenPorts.has(spec.port)) {
      throw new MeshConfigError(scope, field, `port ${spec.port} ("${name}") repeats a port number or name`,
        'give every port its own number and name');
    }
    seenNames.add(name);
    seenPorts.add(spec.port);
    return { port: spec.port, targetPort: spec.targetPort ?? spec.port, protocol, name };
  });
}

/** One container port per distinct target port (UDP ports declared as such). */
export function containerPortsOf(ports: readonly ResolvedServicePort[]): K8s.ContainerPort[] {
  const seen = new Set<string>();
  return ports.flatMap(p => {
    const protocol = p.protocol === PortProtocol.UDP ? 'UDP' : 'TCP';
    const key = `${p.targetPort}/${protocol}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ containerPort: p.targetPort, ...(protocol === 'UDP' && { protocol }) }];
  });
}

/** The service's ports as Service ports (its Service and a StatefulSet's headless Service share them). */
export function servicePortsOf(ports: readonly ResolvedServicePort[]): K8s.ServicePort[] {
  return ports.map(p => ({
    port: p.port,
    name: p.name,
    ...(p.protocol === PortProtocol.UDP && { protocol: 'UDP' }),
    ...(p.targetPort !== p.port && { targetPort: k8s.IntOrString.fromNumber(p.targetPort) }),
  }));
}
