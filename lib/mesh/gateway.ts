import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as L1 from '../../imports/networking.istio.io';
import { checkInstance, checkList, checkMember, checkProps, describeGiven } from '../core/check';
import { checkPortNumber } from '../core/checks';
import { compact } from '../core/compact';
import { checkCredentialName } from '../core/credential-name';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkGatewayHost } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { defaultPortName } from '../core/port-names';
import { registerLibraryConstruct } from '../core/registry';
import { GatewayApiListenerSink, ISTIO_GATEWAY_CLASS, RoutingApi, gatewayApiRenderers, routingApiOf } from '../gateway-api/routing-api';

/** TLS protocol versions a Gateway server accepts. */
export enum TlsProtocolVersion {
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/** Options of the TLS modes that terminate TLS at the gateway. */
export interface TerminatedTlsOptions {
  /**
   * Minimum TLS version.
   * @default Istio's default (TLS 1.2)
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /**
   * Client certificate subject alternative names to accept (MUTUAL only).
   * @default any certificate signed by the CA
   */
  readonly subjectAltNames?: string[];
}

/**
 * How a Gateway server handles TLS. Certificates always come from a Kubernetes Secret referenced
 * by name (`credentialName`, in the gateway workload's namespace); no key material is ever
 * written into the manifests.
 */
export class GatewayTls {
  /**
   * Terminates TLS with the certificate in the `kubernetes.io/tls` Secret `credentialName`
   * (create it with `kubectl create secret tls <name> --cert=... --key=... -n istio-system`).
   */
  public static simple(credentialName: string, options: Pick<TerminatedTlsOptions, 'minProtocolVersion'> = {}): GatewayTls {
    return new GatewayTls('SIMPLE', credentialName, { minProtocolVersion: options.minProtocolVersion });
  }

  /** Terminates TLS and requires a client certificate signed by the CA in the Secret (`ca.crt`). */
  public static mutual(credentialName: string, options: TerminatedTlsOptions = {}): GatewayTls {
    return new GatewayTls('MUTUAL', credentialName, options);
  }

  /** Passes TLS through to the backend, routed by SNI (use with TLS routes). */
  public static passthrough(): GatewayTls {
    return new GatewayTls('PASSTHROUGH', undefined, {});
  }

  private constructor(
    /** The Istio TLS mode. */
    public readonly mode: 'SIMPLE' | 'MUTUAL' | 'PASSTHROUGH',
    /** The Secret holding the server certificate, when the gateway terminates TLS. */
    public readonly credentialName: string | undefined,
    private readonly options: TerminatedTlsOptions,
  ) {}

  /** @internal */
  public _toIstio(): L1.GatewaySpecServersTls {
    const minVersion = this.options.minProtocolVersion;
    return compact<L1.GatewaySpecServersTls>({
      mode: SERVER_TLS_MODES[this.mode],
      credentialName: this.credentialName,
      minProtocolVersion: minVersion && MIN_PROTOCOL_VERSIONS[minVersion],
      subjectAltNames: this.options.subjectAltNames,
    })!;
  }
}

const SERVER_TLS_MODES: Readonly<Record<GatewayTls['mode'], L1.GatewaySpecServersTlsMode>> = {
  SIMPLE: L1.GatewaySpecServersTlsMode.SIMPLE,
  MUTUAL: L1.GatewaySpecServersTlsMode.MUTUAL,
  PASSTHROUGH: L1.GatewaySpecServersTlsMode.PASSTHROUGH,
};

const MIN_PROTOCOL_VERSIONS: Readonly<Record<TlsProtocolVersion, L1.GatewaySpecServersTlsMinProtocolVersion>> = {
  [TlsProtocolVersion.TLSV1_2]: L1.GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_2,
  [TlsProtocolVersion.TLSV1_3]: L1.GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_3,
};

/** Protocols a Gateway server port can speak. */
export enum GatewayProtocol {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS, terminated (or passed through) by the gateway. */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** TLS routed by SNI. */
  TLS = 'TLS',
}

/** One server (port, protocol, hosts, TLS) of a Gateway. */
export interface GatewayServer {
  /** The port the gateway workload listens on. */
  readonly port: number;
  /** The protocol. */
  readonly protocol: GatewayProtocol;
  /**
   * The port name, unique within the Gateway.
   * @default the protocol in lower case (`http`, `https`) for its first server, `<protocol>-<port>` for later ones
   */
  readonly portName?: string;
  /** Hosts served, e.g. `bookinfo.example.com`, `*.example.com`, `*`, or `<namespace>/<host>`. */
  readonly hosts: string[];
  /**
   * TLS settings; required for HTTPS and TLS servers.
   * @default none
   */
  readonly tls?: GatewayTls;
  /**
   * Answer plain HTTP requests with a 301 redirect to HTTPS (HTTP servers only).
   * @default false
   */
  readonly httpsRedirect?: boolean;
}

/** Props of {@link Gateway}. */
export interface GatewayProps {
  /**
   * The resource name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Labels of the gateway workload (the Envoy deployment) this configuration applies to.
   * @default { istio: 'ingressgateway' }, the default ingress gateway of an Istio install (in
   * Gateway API mode Istio deploys a gateway for each Gateway, and a selector is refused)
   */
  readonly selector?: Record<string, string>;
  /**
   * The servers; more can be added with `addServer()`.
   * @default none
   */
  readonly servers?: GatewayServer[];
  /**
   * The API the Gateway renders to: Istio's Gateway, or a Gateway API Gateway of class `istio`
   * (a listener per server and host, TLS certificates by Secret reference, HTTP→HTTPS redirects
   * as an HTTPRoute with a RequestRedirect filter).
   * @default the scope's choice (useRoutingApi()), classic when none is made
   */
  readonly routingApi?: RoutingApi;
}

/**
 * An Istio Gateway: the ports, protocols, hosts and TLS settings an ingress or egress gateway
 * workload exposes. Route traffic through it with a VirtualService that lists it in `gateways`.
 */
export class Gateway extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The L1 object (in Gateway API mode, the `gateway.networking.k8s.io` Gateway). */
  public readonly resource: ApiObject;
  /** The API the Gateway renders to. */
  public readonly routingApi: RoutingApi;

  private readonly servers: GatewayServer[] = [];
  private readonly gatewayApi?: GatewayApiListenerSink;

  constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    this.routingApi = routingApiOf(this, props.routingApi);
    if (this.routingApi === RoutingApi.GATEWAY_API && props.selector !== undefined) {
      throw new MeshConfigError(this, 'selector',
        'a Gateway API Gateway selects no gateway pods: Istio deploys a gateway for each Gateway of class istio',
        'remove selector, or keep this Gateway in classic mode (routingApi: RoutingApi.CLASSIC)');
    }
    const deployedName = `${this.name}-${ISTIO_GATEWAY_CLASS}`;
    if (this.routingApi === RoutingApi.GATEWAY_API && deployedName.length > 63) {
      throw new MeshConfigError(this, 'name', `Istio deploys this Gateway as the Service and Deployment "${deployedName}", `
        + `${deployedName.length} characters, and a Service name has at most 63`,
      `use a name of at most ${63 - ISTIO_GATEWAY_CLASS.length - 1} characters`);
    }
    const selector = props.selector ?? { istio: 'ingressgateway' };
    if (Object.keys(selector).length === 0) {
      throw new MeshConfigError(this, 'selector', 'an empty selector matches every gateway workload in the namespace',
        'select the gateway deployment by its labels, e.g. { istio: \'ingressgateway\' }');
    }
    this.node.addValidation({
      validate: () => (this.servers.length > 0
        ? []
        : [formatProblem(this, 'servers', 'the gateway has no servers', 'add one with addServer() or the servers prop')]),
    });
    if (this.routingApi === RoutingApi.GATEWAY_API) {
      this.gatewayApi = gatewayApiRenderers(this).gateway(this);
      this.resource = this.gatewayApi.resource;
    } else {
      this.resource = libraryObject(this, 'Resource', L1.Gateway, { name: this.name },
        (): L1.GatewaySpec => ({ selector, servers: this.servers.map(s => this.renderServer(s)) }), L1.toJson_GatewaySpec);
    }
    for (const server of checkList(this, 'servers', props.servers) ?? []) this.addServer(server);
  }

  /** @internal The servers, each with its port name resolved, for the Gateway API rendering. */
  public get _servers(): readonly (GatewayServer & { readonly portName: string })[] {
    return this.servers.map(s => ({ ...s, portName: this.portNameOf(s) }));
  }

  /** The namespace the Gateway lives in (the chart's, or `default`). */
  public get namespace(): string {
    return namespaceOf(this);
  }

  /** Every host the gateway's servers serve. */
  public get hosts(): string[] {
    return [...new Set(this.servers.flatMap(s => s.hosts))];
  }

  /** The name a VirtualService in `namespace` uses for this gateway (`<namespace>/<name>` elsewhere). */
  public referenceFrom(namespace: string): string {
    return namespace === this.namespace ? this.name : `${this.namespace}/${this.name}`;
  }

  /** Adds a server. */
  public addServer(server: GatewayServer): void {
    const field = `servers[${this.servers.length}]`;
    if (typeof server !== 'object' || server === null) {
      throw new MeshConfigError(this, field, `must be a server ({ port, protocol, hosts }), not ${describeGiven(server)}`,
        'give each server its port, protocol and hosts, e.g. { port: 80, protocol: GatewayProtocol.HTTP, hosts: [\'shop.example.com\'] }');
    }
    checkMember(this, `${field}.protocol`, server.protocol, GatewayProtocol, 'GatewayProtocol');
    checkPortNumber(this, `${field}.port`, server.port);
    if ((checkList(this, `${field}.hosts`, server.hosts) ?? []).length === 0) {
      throw new MeshConfigError(this, `${field}.hosts`, 'a server needs at least one host', 'list the hosts it serves, or "*" for any');
    }
    server.hosts.forEach((h, i) => checkGatewayHost(this, `${field}.hosts[${i}]`, h));
    if (server.tls !== undefined) {
      checkInstance(this, `${field}.tls`, server.tls, GatewayTls,
        'GatewayTls.simple(\'<secret name>\'), GatewayTls.mutual(...) or GatewayTls.passthrough()');
    }
    const needsTls = server.protocol === GatewayProtocol.HTTPS || server.protocol === GatewayProtocol.TLS;
    if (needsTls && !server.tls) {
      throw new MeshConfigError(this, `${field}.tls`, `a server of protocol ${server.protocol} needs TLS settings`,
        'set tls: GatewayTls.simple(\'<secret name>\') or GatewayTls.passthrough()');
    }
    if (!needsTls && server.tls) {
      throw new MeshConfigError(this, `${field}.tls`, `a server of protocol ${server.protocol} does not use TLS settings`,
        'use protocol HTTPS or TLS, or remove tls');
    }
    if (server.tls?.credentialName !== undefined) {
      checkCredentialName(this, `${field}.tls.credentialName`, server.tls.credentialName, 'gateway');
    }
    if (server.httpsRedirect && server.protocol !== GatewayProtocol.HTTP) {
      throw new MeshConfigError(this, `${field}.httpsRedirect`, 'only an HTTP server can redirect to HTTPS',
        'remove httpsRedirect or use protocol HTTP');
    }
    const portName = server.portName ?? defaultPortName(server.protocol, server.port, this.servers.map(s => s.protocol));
    if (this.servers.some(s => this.portNameOf(s) === portName)) {
      throw new MeshConfigError(this, `${field}.portName`, `port name "${portName}" is already used by another server`,
        'give each server its own portName (Istio rejects duplicate names)');
    }
    const clash = this.servers.find(s => s.port === server.port && s.protocol !== server.protocol);
    if (clash) {
      throw new MeshConfigError(this, `${field}.port`, `port ${server.port} is already served as ${clash.protocol}`,
        'use one protocol per port, or another port');
    }
    this.servers.push({ ...server, portName });
    this.gatewayApi?.serverAdded();
  }

  private portNameOf(server: GatewayServer): string {
    return server.portName!; // addServer() stores every server with its name resolved
  }

  private renderServer(s: GatewayServer): L1.GatewaySpecServers {
    const tls: L1.GatewaySpecServersTls | undefined = s.httpsRedirect ? { httpsRedirect: true } : s.tls?._toIstio();
    return {
      port: { number: s.port, name: this.portNameOf(s), protocol: s.protocol },
      hosts: s.hosts,
      ...(tls && { tls }),
    };
  }
}
