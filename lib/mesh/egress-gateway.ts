import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, Subset } from './destination-rule';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution } from './service-entry';
import * as L1 from '../../imports/networking.istio.io';
import { checkList, checkMember, checkProps } from '../core/check';
import { checkPortNumber } from '../core/checks';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsLabel, checkHost, checkNamespaceName } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import type { IMeshWorkload } from '../core/workload-refs';

/** How traffic to the external host leaves through the egress gateway. */
export enum EgressProtocol {
  /** Plain HTTP: the gateways see and route the requests. */
  HTTP = 'HTTP',
  /** TLS (HTTPS) passed through untouched, routed by SNI: the application originates TLS. */
  TLS = 'TLS',
}

/** The egress gateway of the Istio install the traffic leaves through. */
export interface EgressGatewayRef {
  /**
   * The namespace it runs in.
   * @default 'istio-system'
   */
  readonly namespace?: string;
  /**
   * Its Service.
   * @default 'istio-egressgateway'
   */
  readonly serviceName?: string;
  /**
   * The labels of its pods.
   * @default { istio: 'egressgateway' }
   */
  readonly selector?: Record<string, string>;
  /**
   * The port of its Service the traffic goes through (the install's istio-egressgateway has 80
   * and 443), whatever the host's port: sidecars send the host's traffic there.
   * @default 80 for HTTP, 443 for TLS
   */
  readonly port?: number;
}

/** Props of {@link EgressGatewayRoute}. */
export interface EgressGatewayRouteProps {
  /** The external host, e.g. `api.stripe.com` (no wildcard: the egress gateway resolves it through DNS). */
  readonly host: string;
  /** HTTP, or TLS passed through (HTTPS). */
  readonly protocol: EgressProtocol;
  /**
   * The host's port (the egress gateway's is `egressGateway.port`).
   * @default 80 for HTTP, 443 for TLS
   */
  readonly port?: number;
  /**
   * A DNS label naming the route's resources (`<name>` ServiceEntry, `<name>-egressgateway`
   * Gateway and DestinationRule, `direct-<name>-through-egress-gateway` VirtualService) and the
   * egress gateway's subset, e.g. `stripe`.
   */
  readonly name: string;
  /**
   * The workloads that call the host: their Sidecars (`Sidecar` with derived egress hosts) list it.
   * @default none
   */
  readonly callers?: IMeshWorkload[];
  /**
   * The egress gateway.
   * @default the install's istio-egressgateway in istio-system
   */
  readonly egressGateway?: EgressGatewayRef;
}

/**
 * Egress to an external host through the egress gateway, as Istio's egress gateway task: a
 * ServiceEntry for the host, a Gateway on the egress gateway's pods (`istio: egressgateway`) for
 * the host and port, a DestinationRule with a subset for the egress gateway, and the two-hop
 * VirtualService — sidecars (`mesh`) send the host's traffic to the egress gateway, and the
 * egress gateway sends it on to the host. With a REGISTRY_ONLY outbound policy (`Sidecar`, or the
 * install's meshConfig) this is the only way out, so egress is explicit and visible in one place.
 *
 * The egress gateway is the install's (the demo profile deploys it, the default profile does not).
 * A files-only analysis of manifests without the install reports its selector and Service as
 * missing (IST0101 on the Gateway and the VirtualService, IST0174 on the DestinationRule), as
 * istioctl does: suppress them (`suppressAnalysis`) when the install is deployed apart, or add
 * the install (`MeshInstall` with `egressGateways`) to the app.
 */
export class EgressGatewayRoute extends Construct {
  /** The external host. */
  public readonly host: string;
  /** The host's port. */
  public readonly port: number;
  /** The egress gateway Service's port the traffic goes through. */
  public readonly gatewayPort: number;
  /** The workloads that call the host. */
  public readonly callers: readonly IMeshWorkload[];
  /** The namespace the route's resources are in. */
  public readonly namespace: string;
  /** The egress gateway's host, `<service>.<namespace>.svc.cluster.local`. */
  public readonly egressGatewayHost: string;
  /** The egress gateway's namespace. */
  public readonly egressGatewayNamespace: string;
  /** The ServiceEntry. */
  public readonly serviceEntry: ServiceEntry;
  /** The Gateway on the egress gateway. */
  public readonly gateway: ApiObject;
  /** The DestinationRule of the egress gateway's host. */
  public readonly destinationRule: DestinationRule;
  /** The two-hop VirtualService. */
  public readonly virtualService: ApiObject;

  constructor(scope: Construct, id: string, props: EgressGatewayRouteProps) {
    super(scope, id);
    checkProps(this, props, 'its name, host, protocol and callers, e.g. { name, host: \'api.example.com\', protocol, callers }');
    registerLibraryConstruct(this);
    const name = checkDnsLabel(this, 'name', props.name);
    checkMember(this, 'protocol', props.protocol, EgressProtocol, 'EgressProtocol');
    this.host = checkHost(this, 'host', props.host);
    if (!this.host.includes('.') || /\.(svc|cluster\.local)$/.test(this.host)) {
      throw new MeshConfigError(this, 'host', `${this.host} is a name inside the cluster, which its own Service serves: the egress `
        + 'gateway is for hosts outside the mesh', 'name an external host such as "api.example.com", or route to the in-cluster service');
    }
    if (this.host.includes('*')) {
      throw new MeshConfigError(this, 'host', `wildcard host ${this.host} cannot be resolved by the egress gateway`,
        'name one host per route (Istio routes wildcard egress only with an SNI proxy)');
    }
    const defaultPort = props.protocol === EgressProtocol.HTTP ? 80 : 443;
    this.port = checkPortNumber(this, 'port', props.port ?? defaultPort);
    this.callers = checkList(this, 'callers', props.callers) ?? [];
    this.namespace = namespaceOf(this);
    const gatewayRef = props.egressGateway ?? {};
    this.egressGatewayNamespace = checkNamespaceName(this, 'egressGateway.namespace', gatewayRef.namespace ?? 'istio-system');
    const serviceName = checkDnsLabel(this, 'egressGateway.serviceName', gatewayRef.serviceName ?? 'istio-egressgateway');
    this.egressGatewayHost = `${serviceName}.${this.egressGatewayNamespace}.svc.cluster.local`;
    this.gatewayPort = checkPortNumber(this, 'egressGateway.port', gatewayRef.port ?? defaultPort);
    const selector = gatewayRef.selector ?? { istio: 'egressgateway' };
    if (Object.keys(selector).length === 0) {
      throw new MeshConfigError(this, 'egressGateway.selector', 'an empty selector matches every gateway',
        'name the egress gateway pods\' labels');
    }
    const tls = props.protocol === EgressProtocol.TLS;
    const portName = tls ? 'tls' : 'http';

    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      name,
      hosts: [this.host],
      ports: [{ number: this.port, name: portName, protocol: tls ? 'TLS' : 'HTTP' }],
      resolution: ServiceEntryResolution.DNS,
      location: ServiceEntryLocation.MESH_EXTERNAL,
    });
    const gatewayName = `${name}-egressgateway`;
    this.gateway = libraryObject(this, 'Gateway', L1.Gateway, { name: gatewayName }, {
      selector,
      servers: [{
        port: { number: this.gatewayPort, name: portName, protocol: props.protocol },
        hosts: [this.host],
        ...(tls && { tls: { mode: L1.GatewaySpecServersTlsMode.PASSTHROUGH } }),
      }],
    }, L1.toJson_GatewaySpec);
    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      name: gatewayName,
      host: this.egressGatewayHost,
      subsets: [Subset.labels(name, selector)],
    });
    const toGateway = { destination: { host: this.egressGatewayHost, subset: name, port: { number: this.gatewayPort } } };
    const toHost = { destination: { host: this.host, port: { number: this.port } }, weight: 100 };
    // The first hop: sidecars (mesh), calling the host's port, to the egress gateway's port; the
    // second: the egress gateway, on its port, to the host's.
    const hops = [
      { gateway: 'mesh', port: this.port, route: [toGateway] },
      { gateway: gatewayName, port: this.gatewayPort, route: [toHost] },
    ];
    const spec: L1.VirtualServiceSpec = {
      hosts: [this.host],
      gateways: [gatewayName, 'mesh'],
      ...(tls
        ? { tls: hops.map(h => ({ match: [{ gateways: [h.gateway], port: h.port, sniHosts: [this.host] }], route: h.route })) }
        : { http: hops.map(h => ({ match: [{ gateways: [h.gateway], port: h.port }], route: h.route })) }),
    };
    this.virtualService = libraryObject(this, 'VirtualService', L1.VirtualService, { name: `direct-${name}-through-egress-gateway` },
      spec, L1.toJson_VirtualServiceSpec);
    this.node.addValidation({ validate: () => this.sharedGatewayPortProblems() });
  }

  /**
   * Another route of the app sending the same host, from another of its ports, through the same
   * egress gateway port: their Gateways then claim one host and port on the gateway (IST0145),
   * and one route's second hop takes the other's traffic.
   */
  private sharedGatewayPortProblems(): string[] {
    const sharing = (c: EgressGatewayRoute) => c !== this && c.host === this.host && c.egressGatewayHost === this.egressGatewayHost
      && c.gatewayPort === this.gatewayPort && c.port !== this.port;
    const other = App.of(this).node.findAll().find((c): c is EgressGatewayRoute => c instanceof EgressGatewayRoute && sharing(c));
    if (!other) return [];
    return [formatProblem(this, 'egressGateway.port', `${other.node.path} also sends ${this.host} (from port ${other.port}) through port `
      + `${this.gatewayPort} of the egress gateway, so the two Gateways claim one host and port and one route gets both's traffic`,
    'give one of them another egressGateway.port that the egress gateway\'s Service exposes, or route the host through one port')];
  }
}
