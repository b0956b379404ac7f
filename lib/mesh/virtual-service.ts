import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CorsPolicy, renderCorsPolicy } from './cors-policy';
import { Destination } from './destination';
import { Gateway } from './gateway';
import { HeaderRules, renderHeaderRules } from './header-rules';
import { HttpMatch } from './http-match';
import { routeKindProblems } from './route-kinds';
import * as L1 from '../../imports/networking.istio.io';
import { isAmbientNamespace } from '../core/ambient';
import { checkInstance, checkKnownKeys, checkList, checkProps, describeGiven, numberProblem } from '../core/check';
import { checkRetryOn } from '../core/checks';
import { compact } from '../core/compact';
import { istioDuration } from '../core/duration';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkExportTo } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { RetryOn } from '../core/retry-on';
import { GatewayApiRouteSink, RouteKind, RoutingApi, gatewayApiRenderers, routingApiOf } from '../gateway-api/routing-api';
import { servedWaypoint } from '../security/ambient-placement';
import { MeshService } from '../workload/mesh-service';

/** Retries of a failed HTTP request. */
export interface RetryPolicy {
  /** Retries allowed (0 disables retries). */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default the route timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * Conditions that trigger a retry: {@link RetryOn} values (Envoy's HTTP conditions such as
   * `RetryOn.GATEWAY_ERROR`, and gRPC statuses such as `RetryOn.UNAVAILABLE`), their names as
   * strings (`'5xx'`), or HTTP status codes (`'503'`); anything else fails.
   * @default Istio's default (connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes)
   */
  readonly retryOn?: (RetryOn | string)[];
}

/** Faults injected into matching requests, for testing resilience. */
export interface FaultInjection {
  /**
   * A fixed delay before forwarding.
   * @default no delay
   */
  readonly delay?: { readonly fixedDelay: Duration; readonly percentage?: number };
  /**
   * An aborted request answered with `httpStatus`.
   * @default no abort
   */
  readonly abort?: { readonly httpStatus: number; readonly percentage?: number };
}

/** An HTTP redirect answered by the proxy instead of routing. */
export interface HttpRedirect {
  /**
   * Replacement path.
   * @default the request's path
   */
  readonly uri?: string;
  /**
   * Replacement authority (host).
   * @default the request's authority
   */
  readonly authority?: string;
  /**
   * Replacement scheme, `http` or `https`.
   * @default the request's scheme
   */
  readonly scheme?: string;
  /**
   * Status code: 301, 302, 303, 307 or 308.
   * @default 301
   */
  readonly redirectCode?: number;
}

/** A rewrite of the request before it is forwarded. */
export interface HttpRewrite {
  /**
   * Replacement for the matched URI prefix (or the whole path for exact matches).
   * @default unchanged
   */
  readonly uri?: string;
  /**
   * Replacement authority (Host header).
   * @default unchanged
   */
  readonly authority?: string;
}

/** An HTTP route: conditions and what to do with matching requests. */
export interface HttpRoute {
  /**
   * A name for the route, shown in access logs.
   * @default none
   */
  readonly name?: string;
  /**
   * Matches; the route applies when any of them holds.
   * @default every request
   */
  readonly match?: HttpMatch[];
  /**
   * Destinations; with several, each needs a weight (`Destination.withWeight()`). Exactly one of
   * `to` and `redirect` is required.
   * @default none
   */
  readonly to?: Destination[];
  /**
   * Answer with a redirect instead of routing.
   * @default none
   */
  readonly redirect?: HttpRedirect;
  /**
   * Rewrite the URI or authority before forwarding.
   * @default none
   */
  readonly rewrite?: HttpRewrite;
  /**
   * Header changes for every destination of the route: requests forwarded and responses returned
   * (`Destination.withHeaders()` adds changes for one destination). The authority (Host) is
   * changed with `rewrite.authority`, not here.
   * @default none
   */
  readonly headers?: HeaderRules;
  /**
   * Cross-origin (CORS) policy: preflight answers and `Access-Control-*` response headers.
   * @default none (the proxy adds no CORS headers; the application's own pass through)
   */
  readonly corsPolicy?: CorsPolicy;
  /**
   * Overall request timeout.
   * @default Istio's default (none)
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default Istio's default (2 attempts)
   */
  readonly retries?: RetryPolicy;
  /**
   * Fault injection.
   * @default none
   */
  readonly fault?: FaultInjection;
  /**
   * Copy requests to this destination (responses are discarded).
   * @default none
   */
  readonly mirror?: Destination;
  /**
   * Percentage of requests mirrored (0–100).
   * @default 100 when `mirror` is set
   */
  readonly mirrorPercentage?: number;
}

/** Conditions of a TCP or TLS route. */
export interface L4Match {
  /**
   * The destination port.
   * @default any port
   */
  readonly port?: number;
  /**
   * Labels of the source workloads.
   * @default any source
   */
  readonly sourceLabels?: Record<string, string>;
}

/** A TCP route. */
export interface TcpRoute {
  /**
   * Matches; the route applies when any of them holds.
   * @default every connection
   */
  readonly match?: L4Match[];
  /** Destinations; with several, each needs a weight. */
  readonly to: Destination[];
}

/** Conditions of a TLS route: the SNI hosts (required) and optional port and source. */
export interface TlsMatch extends L4Match {
  /** SNI values to match; each must be one of the VirtualService's hosts or match it. */
  readonly sniHosts: string[];
}

/** A TLS passthrough route, chosen by SNI. */
export interface TlsRoute {
  /** Matches; the route applies when any of them holds. */
  readonly match: TlsMatch[];
  /** Destinations; with several, each needs a weight. */
  readonly to: Destination[];
}

/** Props of {@link VirtualService}. */
export interface VirtualServiceProps {
  /**
   * The resource name.
   * @default the construct id
   */
  readonly name?: string;
  /** Hosts the routes apply to: MeshServices, service names, external host names, or `*` (gateways only). */
  readonly hosts: (MeshService | string)[];
  /**
   * Gateways whose traffic the routes apply to; add `VirtualService.MESH` to also apply them to
   * sidecars.
   * @default sidecars in the mesh only
   */
  readonly gateways?: (Gateway | string)[];
  /**
   * HTTP routes, evaluated in order; more can be added with `addHttpRoute()`.
   * @default none
   */
  readonly http?: HttpRoute[];
  /**
   * TCP routes.
   * @default none
   */
  readonly tcp?: TcpRoute[];
  /**
   * TLS routes.
   * @default none
   */
  readonly tls?: TlsRoute[];
  /**
   * Namespaces the VirtualService is visible to.
   * @default Istio's default (all namespaces)
   */
  readonly exportTo?: string[];
  /**
   * The API the routes render to: Istio's VirtualService, or Gateway API routes (HTTPRoute,
   * TCPRoute, TLSRoute) with one Service per routed version.
   * @default the scope's choice (useRoutingApi()), classic when none is made
   */
  readonly routingApi?: RoutingApi;
}

/** The routes and bindings of a VirtualService as declared (what its Gateway API rendering reads). */
export interface VirtualServiceDeclaration {
  /** The hosts. */
  readonly hosts: readonly (MeshService | string)[];
  /** The gateways (and `VirtualService.MESH`); empty for the mesh only. */
  readonly gateways: readonly (Gateway | string)[];
  /** The HTTP routes, in order. */
  readonly http: readonly HttpRoute[];
  /** The TCP routes, in order. */
  readonly tcp: readonly TcpRoute[];
  /** The TLS routes, in order. */
  readonly tls: readonly TlsRoute[];
  /** The exportTo namespaces, when set. */
  readonly exportTo?: readonly string[];
}

/**
 * An Istio VirtualService: ordered HTTP, TCP and TLS routes for a set of hosts, applied at
 * gateways and/or sidecars. Destinations are checked at synthesis: a version the MeshService does
 * not have, a subset no DestinationRule defines, or a port the Service lacks fails with the route's
 * field path.
 */
export class VirtualService extends Construct {
  /** The reserved gateway name for all sidecars in the mesh. */
  public static readonly MESH = 'mesh';

  /** The resource name. */
  public readonly name: string;
  /** The API the routes render to. */
  public readonly routingApi: RoutingApi;

  private readonly httpRoutes: HttpRoute[] = [];
  private readonly tcpRoutes: TcpRoute[] = [];
  private readonly tlsRoutes: TlsRoute[] = [];
  private readonly classicResource?: ApiObject;
  private readonly gatewayApi?: GatewayApiRouteSink;

  constructor(scope: Construct, id: string, private readonly props: VirtualServiceProps) {
    super(scope, id);
    checkProps(this, props, 'its hosts and routes, e.g. { hosts: [service], http: [{ to: [service.version(\'v1\')] }] }');
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    for (const key of ['hosts', 'gateways', 'http', 'tcp', 'tls'] as const) checkList(this, key, props[key]);
    for (const key of ['http', 'tcp', 'tls'] as const) {
      props[key]?.forEach((route: unknown, i) => {
        if (typeof route !== 'object' || route === null || Array.isArray(route)) {
          throw new MeshConfigError(this, `${key}[${i}]`, `must be a route, not ${describeGiven(route)}`,
            'give each route as an object, e.g. { to: [service] }');
        }
      });
    }
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
      throw new MeshConfigError(this, 'hosts', 'a VirtualService needs at least one host', 'list the hosts its routes apply to');
    }
    props.hosts.forEach((host, i) => {
      if (typeof host !== 'string' && !(host instanceof MeshService)) {
        throw new MeshConfigError(this, `hosts[${i}]`, `must be a host name or a MeshService, not ${describeGiven(host)}`,
          'list host names ("shop.example.com") or MeshServices');
      }
    });
    const gateways = props.gateways ?? [];
    gateways.forEach((gateway, i) => {
      if (typeof gateway !== 'string' && !(gateway instanceof Gateway)) {
        throw new MeshConfigError(this, `gateways[${i}]`, `must be a Gateway or a gateway name, not ${describeGiven(gateway)}`,
          'list Gateway constructs, names such as "istio-system/public-gateway", or VirtualService.MESH');
      }
    });
    const meshBound = gateways.length === 0 || gateways.includes(VirtualService.MESH);
    if (meshBound && props.hosts.includes('*')) {
      throw new MeshConfigError(this, 'hosts', 'the wildcard host "*" is only allowed on a VirtualService bound to gateways (not the mesh)',
        'name the hosts, or set gateways to the Gateway(s) without VirtualService.MESH');
    }
    (props.exportTo ?? []).forEach((e, i) => checkExportTo(this, `exportTo[${i}]`, e));
    this.routingApi = routingApiOf(this, props.routingApi);
    if (this.routingApi === RoutingApi.GATEWAY_API) {
      this.gatewayApi = gatewayApiRenderers(this).virtualService(this);
    } else {
      this.classicResource = libraryObject(this, 'Resource', L1.VirtualService, { name: this.name }, () => this.renderSpec(),
        L1.toJson_VirtualServiceSpec);
    }
    props.http?.forEach(r => this.addHttpRoute(r));
    props.tcp?.forEach(r => this.addTcpRoute(r));
    props.tls?.forEach(r => this.addTlsRoute(r));

    this.node.addValidation({
      validate: () => [...this.validateRoutesExist(), ...this.validateDestinations(), ...this.validateAmbientMeshRoutes(),
        ...routeKindProblems(this, this.props.hosts, this.props.gateways ?? [],
          { http: this.httpRoutes.length, tls: this.tlsRoutes.length, tcp: this.tcpRoutes.length })],
    });
  }

  /**
   * The L1 object: the VirtualService, or in Gateway API mode the first route object (HTTPRoute,
   * TCPRoute or TLSRoute) of the routes added so far.
   */
  public get resource(): ApiObject {
    const resource = this.classicResource ?? this.gatewayApi?.resource;
    if (resource === undefined) {
      throw new MeshConfigError(this, 'http', 'the VirtualService renders to the Gateway API and has no routes yet, so no route object',
        'add a route before reading resource');
    }
    return resource;
  }

  /** @internal The hosts, gateways and routes as declared, for the Gateway API rendering. */
  public get _declaration(): VirtualServiceDeclaration {
    return {
      hosts: this.props.hosts,
      gateways: this.props.gateways ?? [],
      http: this.httpRoutes,
      tcp: this.tcpRoutes,
      tls: this.tlsRoutes,
      exportTo: this.props.exportTo,
    };
  }

  /** The namespace the VirtualService lives in (the chart's, or `default`). */
  public get namespace(): string {
    return namespaceOf(this);
  }

  /** Appends an HTTP route (routes are evaluated in order; the first match wins). */
  public addHttpRoute(route: HttpRoute): void {
    const field = `http[${this.httpRoutes.length}]`;
    const routes = this.checkDestinations(`${field}.to`, route.to) ?? [];
    if (route.mirror !== undefined) checkInstance(this, `${field}.mirror`, route.mirror, Destination, DESTINATION_MAKERS);
    (checkList(this, `${field}.match`, route.match) ?? []).forEach((m, i) => checkInstance(this, `${field}.match[${i}]`, m, HttpMatch,
      "HttpMatch.prefix('/api'), HttpMatch.header('x-user', StringMatch.exact('jason')) or HttpMatch.method('GET')"));
    if ((routes.length > 0) === (route.redirect !== undefined)) {
      throw new MeshConfigError(this, field, 'an HTTP route needs exactly one of to (destinations) and redirect',
        'set to: [service.version(\'v1\')] to forward, or redirect: { ... } to answer with a redirect');
    }
    if (route.redirect && [route.redirect.uri, route.redirect.authority, route.redirect.scheme].every(v => v === undefined)) {
      throw new MeshConfigError(this, `${field}.redirect`,
        'the redirect changes nothing, so it would send clients back to the URL they asked for',
        'set uri, authority or scheme, e.g. redirect: { scheme: \'https\' }');
    }
    if (route.redirect && route.rewrite) {
      throw new MeshConfigError(this, `${field}.rewrite`, 'a redirecting route cannot also rewrite',
        'remove rewrite, or forward with to instead of redirect');
    }
    checkKnownKeys(this, `${field}.fault`, route.fault, FAULT_KEYS, 'a fault injection');
    checkKnownKeys(this, `${field}.fault.delay`, route.fault?.delay, DELAY_KEYS, 'a fault delay');
    checkKnownKeys(this, `${field}.fault.abort`, route.fault?.abort, ABORT_KEYS, 'a fault abort');
    if (route.fault !== undefined && route.fault.delay === undefined && route.fault.abort === undefined) {
      throw new MeshConfigError(this, `${field}.fault`, 'a fault injection needs a delay, an abort or both (Istio refuses an empty one)',
        'give delay: { fixedDelay, percentage } or abort: { httpStatus, percentage }, or remove the fault');
    }
    if (route.redirect && route.fault) {
      throw new MeshConfigError(this, `${field}.fault`, 'Istio does not inject faults into a redirecting route',
        'remove fault, or forward with to instead of redirect');
    }
    if (route.mirror?.headers) {
      throw new MeshConfigError(this, `${field}.mirror.headers`, 'Istio changes no headers of mirrored requests',
        'mirror a destination without withHeaders(); change headers on the route instead');
    }
    if (route.mirrorPercentage !== undefined && !route.mirror) {
      throw new MeshConfigError(this, `${field}.mirrorPercentage`, 'mirrorPercentage without mirror',
        'set mirror to the destination to copy requests to');
    }
    if (route.retries?.retryOn) checkRetryOn(this, `${field}.retries.retryOn`, route.retries.retryOn);
    if (route.retries?.attempts === 0 && (route.retries.retryOn?.length || route.retries.perTryTimeout)) {
      throw new MeshConfigError(this, `${field}.retries.attempts`,
        'attempts 0 disables retries, yet retryOn or perTryTimeout is set (Istio rejects this)',
        'set attempts to 1 or more, or remove retryOn and perTryTimeout');
    }
    if (route.to) this.checkWeights(`${field}.route`, routes);
    this.renderHttp(route, field, () => []); // durations, percentages and codes fail here, not at synth
    this.httpRoutes.push(route);
    this.bind('http', [...routes, ...route.mirror ? [route.mirror] : []]);
  }

  /** Appends a TCP route. */
  public addTcpRoute(route: TcpRoute): void {
    this.checkDestinations(`tcp[${this.tcpRoutes.length}].to`, route.to);
    this.checkL4Destinations(`tcp[${this.tcpRoutes.length}].route`, route.to);
    this.tcpRoutes.push(route);
    this.bind('tcp', route.to);
  }

  /** Appends a TLS route. */
  public addTlsRoute(route: TlsRoute): void {
    const field = `tls[${this.tlsRoutes.length}]`;
    if (route.match.length === 0 || route.match.some(m => m.sniHosts.length === 0)) {
      throw new MeshConfigError(this, `${field}.match`, 'a TLS route needs matches with at least one SNI host each',
        'add match: [{ sniHosts: [\'example.com\'] }]');
    }
    // a MeshService host is named short or fully qualified: Istio expands the short name in the VirtualService's namespace
    const hosts = this.props.hosts.flatMap(h => (typeof h === 'string' ? [h] : [h.host, h.fqdn]));
    route.match.forEach((m, i) => m.sniHosts.forEach((sni, j) => {
      const covered = hosts.some(h => h === sni || h === '*' || (h.startsWith('*.') && sni.endsWith(h.slice(1))));
      if (!covered) {
        throw new MeshConfigError(this, `${field}.match[${i}].sniHosts[${j}]`,
          `SNI host "${sni}" is not one of the VirtualService's hosts (${hosts.join(', ')})`,
          'list only SNI hosts the VirtualService\'s hosts cover, or add the host');
      }
    }));
    this.checkDestinations(`${field}.to`, route.to);
    this.checkL4Destinations(`${field}.route`, route.to);
    this.tlsRoutes.push(route);
    this.bind('tls', route.to);
  }

  /**
   * The bind step of the route just added: classic destinations define their versions' subsets;
   * the Gateway API rendering checks the route and creates the Services its versions need.
   */
  private bind(kind: RouteKind, destinations: readonly Destination[]): void {
    if (this.gatewayApi) this.gatewayApi.routeAdded(kind);
    else destinations.forEach(d => d._bind());
  }

  /** A route's `to` as a JavaScript caller can get it wrong: a single value, or a service or name where a destination goes. */
  private checkDestinations(field: string, to: readonly Destination[] | undefined): readonly Destination[] | undefined {
    checkList(this, field, to);
    (to ?? []).forEach((d, i) => checkInstance(this, `${field}[${i}]`, d, Destination, DESTINATION_MAKERS));
    return to;
  }

  /** The destinations of a TCP or TLS route, which have no headers to change. */
  private checkL4Destinations(field: string, destinations: readonly Destination[]): void {
    const withHeaders = destinations.findIndex(d => d.headers !== undefined);
    if (withHeaders >= 0) {
      throw new MeshConfigError(this, `${field}[${withHeaders}].headers`, 'a TCP or TLS route has no HTTP headers to change',
        'remove withHeaders() from the destination, or route the traffic with an HTTP route');
    }
    this.checkWeights(field, destinations);
  }

  private checkWeights(field: string, destinations: readonly Destination[]): void {
    if (destinations.length === 0) {
      throw new MeshConfigError(this, field, 'a route needs at least one destination', 'add a destination, e.g. service.version(\'v1\')');
    }
    destinations.forEach((d, i) => {
      if (d.weight !== undefined && (!Number.isInteger(d.weight) || d.weight < 0)) {
        throw new MeshConfigError(this, `${field}[${i}].weight`, numberProblem(d.weight, 'is not a non-negative integer'),
          'use whole relative weights such as 90 and 10');
      }
    });
    if (destinations.length === 1) return;
    const missing = destinations.findIndex(d => d.weight === undefined);
    if (missing >= 0) {
      throw new MeshConfigError(this, `${field}[${missing}].weight`, 'a split over several destinations needs a weight on each',
        'give every destination a weight with withWeight(), e.g. v1.withWeight(90) and v2.withWeight(10)');
    }
    if (destinations.every(d => d.weight === 0)) {
      throw new MeshConfigError(this, field, 'every weight is 0, so no destination can receive traffic',
        'give at least one destination a positive weight');
    }
  }

  /**
   * Mesh routes for a service of an ambient namespace that no waypoint serves: ztunnel forwards
   * such a call as it is (L4 only), so the routes would do nothing, silently.
   */
  private validateAmbientMeshRoutes(): string[] {
    const gateways = this.props.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes(VirtualService.MESH)) return [];
    return this.props.hosts.flatMap((host, i) => {
      if (!(host instanceof MeshService) || !isAmbientNamespace(this, host.namespace) || servedWaypoint(host) !== undefined) return [];
      return [formatProblem(this, `hosts[${i}]`, `${host.node.path} is in ambient namespace ${host.namespace} and no waypoint serves it: `
        + 'only a waypoint applies routes inside the mesh (ztunnel forwards calls as they are), so these routes would do nothing',
      'send its traffic through a waypoint: MeshNamespace.addWaypoint(), or waypoint.enroll(service); '
        + 'or bind the routes to an ingress Gateway only (gateways without VirtualService.MESH)')];
    });
  }

  private validateRoutesExist(): string[] {
    if (this.httpRoutes.length + this.tcpRoutes.length + this.tlsRoutes.length > 0) return [];
    return [formatProblem(this, 'http', 'the VirtualService has no routes (Istio rejects it)',
      'add a route with addHttpRoute(), addTcpRoute() or addTlsRoute(), or the http/tcp/tls props')];
  }

  private validateDestinations(): string[] {
    const problems: string[] = [];
    const check = (field: string, destinations: readonly Destination[]) =>
      destinations.forEach((d, i) => problems.push(...d._validate(this, `${field}[${i}].destination`)));
    this.httpRoutes.forEach((r, i) => {
      check(`http[${i}].route`, r.to ?? []);
      if (r.mirror) problems.push(...r.mirror._validate(this, `http[${i}].mirror`));
    });
    this.tcpRoutes.forEach((r, i) => check(`tcp[${i}].route`, r.to));
    this.tlsRoutes.forEach((r, i) => check(`tls[${i}].route`, r.to));
    return problems;
  }

  private renderSpec(): L1.VirtualServiceSpec {
    const ns = this.namespace;
    const hosts = this.props.hosts.map(h => (typeof h === 'string' ? h : h.hostFrom(ns)));
    const gateways = (this.props.gateways ?? []).map(g => (typeof g === 'string' ? g : g.referenceFrom(ns)));
    const route = (to: readonly Destination[]): WeightedDestination[] =>
      to.map(d => ({ destination: d._toIstio(ns), ...(d.weight !== undefined && { weight: d.weight }) }));
    const tcp = (r: TcpRoute): L1.VirtualServiceSpecTcp => ({ ...(r.match && { match: r.match.map(renderL4Match) }), route: route(r.to) });
    const tls = (r: TlsRoute): L1.VirtualServiceSpecTls => ({
      match: r.match.map(m => ({ sniHosts: m.sniHosts, ...renderL4Match(m) })),
      route: route(r.to),
    });
    return {
      hosts,
      ...(gateways.length > 0 && { gateways }),
      ...(this.httpRoutes.length > 0 && { http: this.httpRoutes.map((r, i) => this.renderHttp(r, `http[${i}]`, route)) }),
      ...(this.tcpRoutes.length > 0 && { tcp: this.tcpRoutes.map(tcp) }),
      ...(this.tlsRoutes.length > 0 && { tls: this.tlsRoutes.map(tls) }),
      ...(this.props.exportTo && { exportTo: this.props.exportTo }),
    };
  }

  private renderHttp(r: HttpRoute, field: string, route: (to: readonly Destination[]) => WeightedDestination[]): L1.VirtualServiceSpecHttp {
    const ns = this.namespace;
    const percent = (f: string, value: number | undefined) => {
      if (value === undefined) return undefined;
      if (!Number.isFinite(value) || value < 0 || value > 100) {
        throw new MeshConfigError(this, `${field}.${f}`, numberProblem(value, 'is not a percentage'), 'use a number from 0 to 100');
      }
      return { value };
    };
    const fault = r.fault && compact({
      delay: r.fault.delay && compact({
        percentage: percent('fault.delay.percentage', r.fault.delay.percentage),
        fixedDelay: istioDuration(this, `${field}.fault.delay.fixedDelay`, r.fault.delay.fixedDelay),
      }),
      abort: r.fault.abort && compact({
        httpStatus: checkStatus(this, `${field}.fault.abort.httpStatus`, r.fault.abort.httpStatus),
        percentage: percent('fault.abort.percentage', r.fault.abort.percentage),
      }),
    });
    const retries = r.retries && compact({
      attempts: checkAttempts(this, `${field}.retries.attempts`, r.retries.attempts),
      perTryTimeout: r.retries.perTryTimeout && istioDuration(this, `${field}.retries.perTryTimeout`, r.retries.perTryTimeout),
      retryOn: r.retries.retryOn?.join(','),
    });
    const destinationHeaders = (r.to ?? []).map((d, i) =>
      d.headers && renderHeaderRules(this, `${field}.route[${i}].headers`, d.headers, 'destination'));
    return compact({
      name: r.name,
      match: r.match?.map((m, i) => m._toIstio(this, `${field}.match[${i}]`)),
      fault,
      redirect: r.redirect && compact({
        uri: r.redirect.uri,
        authority: r.redirect.authority,
        scheme: r.redirect.scheme,
        redirectCode: r.redirect.redirectCode === undefined
          ? undefined
          : checkRedirectCode(this, `${field}.redirect.redirectCode`, r.redirect.redirectCode),
      }),
      rewrite: r.rewrite && compact({ uri: r.rewrite.uri, authority: r.rewrite.authority }),
      headers: r.headers && renderHeaderRules(this, `${field}.headers`, r.headers, 'route'),
      route: r.to && route(r.to).map((d, i) => compact({ ...d, headers: destinationHeaders[i] })!),
      corsPolicy: r.corsPolicy && renderCorsPolicy(this, `${field}.corsPolicy`, r.corsPolicy),
      timeout: r.timeout && istioDuration(this, `${field}.timeout`, r.timeout),
      retries,
      mirror: r.mirror?._toIstio(ns),
      mirrorPercentage: percent('mirrorPercentage', r.mirrorPercentage),
    })!;
  }
}

/**
 * A weighted destination of an HTTP, TCP or TLS route; the three L1 route types share this shape
 * (their destination types are structurally identical), so one renderer serves them all.
 */
type WeightedDestination = Pick<L1.VirtualServiceSpecHttpRoute, 'destination' | 'weight'>;

function renderL4Match(m: L4Match): Pick<L1.VirtualServiceSpecTcpMatch, 'port' | 'sourceLabels'> {
  return compact({ port: m.port, sourceLabels: m.sourceLabels }) ?? {};
}

function checkStatus(scope: Construct, field: string, status: number): number {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new MeshConfigError(scope, field, `${status} is not an HTTP status code`, 'use an integer from 200 to 599');
  }
  return status;
}

const REDIRECT_CODES = [301, 302, 303, 307, 308];

function checkRedirectCode(scope: Construct, field: string, code: number): number {
  if (!REDIRECT_CODES.includes(code)) {
    throw new MeshConfigError(scope, field, `${code} is not a redirect status Envoy supports`, `use one of ${REDIRECT_CODES.join(', ')}`);
  }
  return code;
}

function checkAttempts(scope: Construct, field: string, attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 0) {
    throw new MeshConfigError(scope, field, numberProblem(attempts, 'is not a number of retries'),
      'use a non-negative integer (0 disables retries)');
  }
  return attempts;
}

/** How to make a Destination, for the fix of a value that is not one. */
const DESTINATION_MAKERS = "service.version('v1'), Destination.toService(service) or Destination.toHost('api.example.com')";

/** The members of the fault types, each listed once (the compiler keeps the lists complete). */
const FAULT_KEYS: Record<keyof FaultInjection, true> = { delay: true, abort: true };
const DELAY_KEYS: Record<keyof NonNullable<FaultInjection['delay']>, true> = { fixedDelay: true, percentage: true };
const ABORT_KEYS: Record<keyof NonNullable<FaultInjection['abort']>, true> = { httpStatus: true, percentage: true };
