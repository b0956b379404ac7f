import { ApiObject } from 'cdk8s';
import { ISTIO_GATEWAY_CLASS, RouteKind, RoutingApi } from './routing-api';
import * as GA from '../../imports/gateway.networking.k8s.io';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { Gateway, GatewayProtocol, GatewayServer, TlsProtocolVersion } from '../mesh/gateway';


/**
 * The container ports of Istio's default ingress gateway and the Service ports in front of them
 * (its Service maps 80 → 8080 and 443 → 8443). A classic server port is the gateway pod's port;
 * a Gateway API listener port is the port of the Service Istio deploys for the Gateway, the port
 * clients reach — so 8080 and 8443 become 80 and 443.
 */
const INGRESS_SERVICE_PORTS: Readonly<Record<number, number>> = { 8080: 80, 8443: 443 };

/** The label Kubernetes puts on every Namespace, naming it (what a listener's namespace selector matches). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One listener of the rendered Gateway. */
export interface Listener {
  /** The listener (section) name. */
  readonly name: string;
  /** The listener port. */
  readonly port: number;
  /** The Gateway API protocol. */
  readonly protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'TLS';
  /** The host name, when the server names one (not `*`). */
  readonly hostname?: string;
  /** The namespaces whose routes may attach, when the host names them (`<namespace>/<host>`): `*` for all. */
  readonly hostNamespace?: string;
  /** Whether it only redirects HTTP to HTTPS (only the redirect route attaches). */
  readonly redirect: boolean;
  /** The server it comes from. */
  readonly server: GatewayServer;
}

/** The kind of route each listener protocol takes. */
const ROUTE_KIND: Readonly<Record<Listener['protocol'], RouteKind>> = { HTTP: 'http', HTTPS: 'http', TCP: 'tcp', TLS: 'tls' };

/** The Gateway API rendering of one Gateway: its Gateway of class istio and its HTTP→HTTPS redirect route. */
export class GatewayRendering {
  /** The Gateway API Gateway object. */
  public readonly resource: ApiObject;
  private readonly routeNamespaces = new Set<string>();
  private redirectRoute?: ApiObject;

  constructor(private readonly gateway: Gateway) {
    this.resource = libraryObject(gateway, 'Resource', GA.Gateway, { name: gateway.name },
      () => this.renderSpec(), GA.toJson_GatewaySpec);
  }

  /** Checks the server just added for what a listener cannot say, and adds the redirect route when it redirects. */
  public serverAdded(): void {
    const servers = this.gateway._servers;
    const field = `servers[${servers.length - 1}]`;
    const server = servers[servers.length - 1];
    const classic = 'or keep this Gateway in classic mode (routingApi: RoutingApi.CLASSIC)';
    const certificate = server.tls?.credentialName === undefined ? undefined : certificateRef(server.tls.credentialName);
    if (certificate?.namespace !== undefined && certificate.namespace !== this.gateway.namespace) {
      throw new MeshConfigError(this.gateway, `${field}.tls.credentialName`,
        `"${server.tls!.credentialName}" is a Secret of namespace ${certificate.namespace}, but a Gateway API listener's `
        + `certificate is a Secret of the Gateway's namespace ${this.gateway.namespace}`,
        `create the Secret in ${this.gateway.namespace} and give its name alone, ${classic}`);
    }
    if (server.tls?.mode === 'MUTUAL') {
      throw new MeshConfigError(this.gateway, `${field}.tls`,
        'client certificate validation (MUTUAL) has no equivalent in the listeners of the standard Gateway API Istio implements',
        `terminate TLS with GatewayTls.simple(), ${classic}`);
    }
    const minVersion = server.tls?._toIstio().minProtocolVersion;
    if (minVersion !== undefined && String(minVersion) !== TlsProtocolVersion.TLSV1_2) {
      throw new MeshConfigError(this.gateway, `${field}.tls.minProtocolVersion`,
        `a minimum TLS version of ${minVersion} has no Gateway API listener field (TLS 1.2, Istio's default, is what a listener gets)`,
        `drop minProtocolVersion, ${classic}`);
    }
    if (server.httpsRedirect && this.redirectRoute === undefined) {
      this.redirectRoute = libraryObject(this.gateway, 'HttpsRedirect', GA.HttpRoute, { name: `${this.gateway.name}-https-redirect` },
        (): GA.HttpRouteSpec => ({
          parentRefs: this.listeners().filter(l => l.redirect).map(l => ({ name: this.gateway.name, sectionName: l.name })),
          rules: [{
            filters: [{
              type: GA.HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
              requestRedirect: {
                scheme: GA.HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                statusCode: GA.HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
              },
            }],
          }],
        }), GA.toJson_HttpRouteSpec);
    }
  }

  /** Records that a route in `namespace` attaches to this Gateway (its listeners then allow that namespace). */
  public attach(namespace: string): void {
    this.routeNamespaces.add(namespace);
  }

  /** The listeners: one per server and host, named after the server's port name (`<port name>-<n>` for later hosts). */
  public listeners(): Listener[] {
    return this.gateway._servers.flatMap(server => server.hosts.map((host, i): Listener => {
      const slash = host.indexOf('/');
      const hostNamespace = slash < 0 ? undefined : host.slice(0, slash);
      const name = host.slice(slash + 1);
      return {
        name: i === 0 ? server.portName : `${server.portName}-${i}`,
        port: INGRESS_SERVICE_PORTS[server.port] ?? server.port,
        protocol: listenerProtocol(server),
        ...(name !== '*' && { hostname: name }),
        ...(hostNamespace !== undefined && { hostNamespace: hostNamespace === '.' ? this.gateway.namespace : hostNamespace }),
        redirect: server.httpsRedirect === true,
        server,
      };
    }));
  }

  /**
   * The parentRefs a route of `kind` in `namespace` uses to attach: the Gateway, with the listeners
   * named when some listener must not take the route (it redirects, or takes another kind), and
   * always for TCP and TLS routes (upstream's form), those on `port` when a match names one.
   */
  public parentRefs(namespace: string, kind: RouteKind, port?: number): { name: string; namespace?: string; sectionName?: string }[] {
    const base = { name: this.gateway.name, ...(namespace !== this.gateway.namespace && { namespace: this.gateway.namespace }) };
    const listeners = this.listeners();
    const taking = listeners.filter(l => ROUTE_KIND[l.protocol] === kind && !l.redirect && (port === undefined || l.server.port === port));
    if (kind === 'http' && taking.length === listeners.length) return [base];
    return taking.map(l => ({ ...base, sectionName: l.name }));
  }

  private renderSpec(): GA.GatewaySpec {
    const own = this.gateway.namespace;
    const namespaces = [...this.routeNamespaces].filter(n => n !== own).sort();
    const allowed = (l: Listener): GA.GatewaySpecListenersAllowedRoutesNamespaces => {
      if (l.hostNamespace === '*') return { from: GA.GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL };
      const from = l.hostNamespace !== undefined ? [l.hostNamespace] : [own, ...namespaces];
      if (from.length === 1 && from[0] === own) return { from: GA.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME };
      return {
        from: GA.GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
        selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: from }] },
      };
    };
    return {
      gatewayClassName: ISTIO_GATEWAY_CLASS,
      listeners: this.listeners().map((l): GA.GatewaySpecListeners => ({
        name: l.name,
        port: l.port,
        protocol: l.protocol,
        ...(l.hostname !== undefined && { hostname: l.hostname }),
        ...(l.server.tls && { tls: listenerTls(l.server) }),
        allowedRoutes: {
          namespaces: allowed(l),
          ...(l.protocol === 'TCP' && { kinds: [{ kind: 'TCPRoute' }] }),
          ...(l.protocol === 'TLS' && { kinds: [{ kind: 'TLSRoute' }] }),
        },
      })),
    };
  }
}

/** The Gateway API protocol of a server: HTTP/2 and gRPC servers are HTTP listeners; a passed-through HTTPS server is TLS. */
function listenerProtocol(server: GatewayServer): Listener['protocol'] {
  switch (server.protocol) {
    case GatewayProtocol.HTTPS: return server.tls?.mode === 'PASSTHROUGH' ? 'TLS' : 'HTTPS';
    case GatewayProtocol.TCP: return 'TCP';
    case GatewayProtocol.TLS: return 'TLS';
    default: return 'HTTP';
  }
}

/**
 * The Secret an Istio credentialName names: `kubernetes://<name>`, `<namespace>/<name>` or
 * `<name>` (the namespace is undefined for the last two without one).
 */
function certificateRef(credentialName: string): { readonly namespace?: string; readonly name: string } {
  const reference = credentialName.replace(/^kubernetes:\/\//, '');
  const slash = reference.indexOf('/');
  return slash === -1 ? { name: reference } : { namespace: reference.slice(0, slash), name: reference.slice(slash + 1) };
}

/**
 * A listener's TLS: the certificate Secret by reference, or passthrough. A certificateRef names a
 * Secret of the Gateway's namespace by its name: Istio's `kubernetes://<name>` and
 * `<namespace>/<name>` forms of a credentialName are written as that name (a Secret of another
 * namespace, which would need a ReferenceGrant there, is refused when the server is added).
 */
function listenerTls(server: GatewayServer): GA.GatewaySpecListenersTls {
  const tls = server.tls!;
  if (tls.mode === 'PASSTHROUGH') return { mode: GA.GatewaySpecListenersTlsMode.PASSTHROUGH };
  return { mode: GA.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ name: certificateRef(tls.credentialName!).name }] };
}

/** The gateway Istio deploys for a Gateway API Gateway of class istio (its automated deployment). */
export interface DeployedGateway {
  /** The Deployment, Service and ServiceAccount name, `<gateway name>-istio`: the gateway pods' mesh identity. */
  readonly name: string;
  /** The namespace: the Gateway's. */
  readonly namespace: string;
}

/**
 * The gateway Istio deploys for `gateway` (a Gateway rendered to the Gateway API): its pods run in
 * the Gateway's namespace as `<name>-istio`, so policies of that namespace (a deny-by-default, the
 * callers a service allows) apply to them, not to istio-system's ingress gateway; a policy for the
 * gateway pods attaches to the Gateway by `targetRefs` (a selector is IST0166).
 */
export function deployedGateway(gateway: Gateway): DeployedGateway {
  if (gateway.routingApi !== RoutingApi.GATEWAY_API) {
    throw new MeshConfigError(gateway, 'routingApi', 'the Gateway renders to Istio\'s Gateway kind, which Istio deploys nothing for',
      'render it to the Gateway API (routingApi: RoutingApi.GATEWAY_API), or use Caller.ingressGateway() for the classic ingress gateway');
  }
  return {
    name: `${gateway.name}-${ISTIO_GATEWAY_CLASS}`,
    namespace: gateway.namespace,
  };
}
