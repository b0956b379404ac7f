import type * as networking from '../../imports/networking.istio.io';
import type { AuthorizationVerdict } from '../analysis/access-matrix';

/**
 * Where a simulated request comes from. A request through a gateway names it; a request from a
 * sidecar gives the calling workload's namespace (and labels, for `sourceLabels` matches and its
 * identity); with neither, the request comes from anywhere: every VirtualService is considered
 * whatever it is bound to, short hosts resolve in each VirtualService's own namespace, and
 * `sourceLabels` / `sourceNamespace` matches do not match (the source is not known).
 */
export interface RequestSource {
  /** The Istio Gateway the request enters through, `<namespace>/<name>`. */
  readonly gateway?: string;
  /** The namespace of the calling workload (a sidecar), or of the gateway's pods. */
  readonly namespace?: string;
  /** The pod labels of the calling workload. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The ServiceAccount the caller runs as (its mTLS identity, for AuthorizationPolicies).
   * @default the ServiceAccount of the workload the labels select, when the documents hold it
   */
  readonly serviceAccount?: string;
}

/** A request to simulate. */
export interface SimulationRequest {
  /** The authority (Host header), with an optional port: `reviews`, `reviews.bookinfo:9080`, `shop.example.com`. */
  readonly host: string;
  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * The path, with an optional query string (`/api/orders?page=2`).
   * @default '/'
   */
  readonly path?: string;
  /** Request headers; names are case-insensitive. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters, on top of those in `path`. */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * The port the request is sent to.
   * @default the authority's port; else, through a gateway, the port of the first server serving the host; else the host's only port
   */
  readonly port?: number;
  /**
   * The scheme.
   * @default 'http'
   */
  readonly scheme?: string;
  /**
   * Where the request comes from.
   * @default anywhere (see {@link RequestSource})
   */
  readonly from?: RequestSource;
}

/** A resource by namespace and name. */
export interface ResourceName {
  /** The namespace. */
  readonly namespace: string;
  /** The name. */
  readonly name: string;
}

/** The HTTP rule of a VirtualService a request matched. */
export interface MatchedRule {
  /** The VirtualService. */
  readonly virtualService: ResourceName;
  /** The index of the rule in `spec.http`. */
  readonly ruleIndex: number;
  /** The rule's name, when it has one. */
  readonly ruleName?: string;
  /** The index of the match in the rule's `match` that matched (none when the rule has no match). */
  readonly matchIndex?: number;
}

/** One destination of the route, resolved. */
export interface RoutedDestination {
  /** The host as the VirtualService writes it. */
  readonly host: string;
  /** The host fully qualified in the VirtualService's namespace (`reviews.bookinfo.svc.cluster.local`). */
  readonly fqdn: string;
  /** The subset, when the route names one. */
  readonly subset?: string;
  /** The port, when the route names one. */
  readonly port?: number;
  /** The weight as written (none when the destination has no weight). */
  readonly weight?: number;
  /** The share of the requests it receives, in percent (100 for a single destination). */
  readonly percent: number;
  /** The pod labels the subset selects (from the DestinationRule that defines it). */
  readonly subsetLabels?: Readonly<Record<string, string>>;
  /** The Kubernetes Service behind the host, when the documents hold it. */
  readonly service?: ResourceName;
  /** The header changes for this destination. */
  readonly headers?: networking.VirtualServiceSpecHttpRouteHeaders;
  /** What would go wrong at run time (a subset no DestinationRule defines answers 503), when something would. */
  readonly problem?: string;
  /**
   * Whether the destination's AuthorizationPolicies let the request in (checked when the host is a
   * Service of the documents whose pods are known).
   */
  readonly authorization?: AuthorizationVerdict;
}

/** A mirror of the route: where a copy of the requests goes. */
export interface RoutedMirror {
  /** The host as written. */
  readonly host: string;
  /** The host fully qualified. */
  readonly fqdn: string;
  /** The subset, when set. */
  readonly subset?: string;
  /** The port, when set. */
  readonly port?: number;
  /** The share of requests mirrored, in percent. */
  readonly percent: number;
}

/** What happens to a simulated request. */
export interface Simulation {
  /** The request, as simulated: authority without port, port, path, query, lower-case header names. */
  readonly request: {
    readonly host: string;
    readonly port?: number;
    readonly method: string;
    readonly path: string;
    readonly query: Readonly<Record<string, string>>;
    readonly headers: Readonly<Record<string, string>>;
    readonly scheme: string;
  };
  /**
   * `route`: a rule routes it; `redirect` / `direct-response`: a rule answers it; `default`: no
   * VirtualService is bound to the host, so it goes to the host's Service as it is; `no-route`:
   * nothing serves it (Envoy answers 404).
   */
  readonly outcome: 'route' | 'redirect' | 'direct-response' | 'default' | 'no-route';
  /** Why, in words (for `no-route` and `default`, what was missing). */
  readonly reason: string;
  /** The VirtualService rule that matched. */
  readonly rule?: MatchedRule;
  /** The rule of the delegate VirtualService the matched rule handed the request to, which decided. */
  readonly delegate?: MatchedRule;
  /** Where the requests go, with their shares. */
  readonly destinations: readonly RoutedDestination[];
  /** The VirtualService the matched rule delegates to (whether or not the documents hold it). */
  readonly delegatedTo?: ResourceName;
  /** The redirect, as written. */
  readonly redirect?: networking.VirtualServiceSpecHttpRedirect;
  /** The direct response, as written. */
  readonly directResponse?: networking.VirtualServiceSpecHttpDirectResponse;
  /** What the proxy answers itself, for a redirect (its status and `location`) or a direct response. */
  readonly response?: { readonly status: number; readonly location?: string };
  /** The rewrite, as written. */
  readonly rewrite?: networking.VirtualServiceSpecHttpRewrite;
  /** The path and authority the destinations receive (after the rewrite, when there is one). */
  readonly forwarded?: { readonly path: string; readonly host: string };
  /** The header operations of the rule. */
  readonly headers?: networking.VirtualServiceSpecHttpHeaders;
  /** The fault injected. */
  readonly fault?: networking.VirtualServiceSpecHttpFault;
  /** The timeout, as written (`7s`). */
  readonly timeout?: string;
  /** The retry policy. */
  readonly retries?: networking.VirtualServiceSpecHttpRetries;
  /** Where copies of the requests go. */
  readonly mirrors: readonly RoutedMirror[];
  /** The CORS policy. */
  readonly corsPolicy?: networking.VirtualServiceSpecHttpCorsPolicy;
}
