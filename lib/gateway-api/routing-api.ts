import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';

/** The Gateway class Istio's controller implements. */
export const ISTIO_GATEWAY_CLASS = 'istio';

/**
 * Which Kubernetes API the traffic constructs (Gateway, VirtualService, and the destinations of
 * their routes) render to. Chosen per app or chart with {@link useRoutingApi}, or per construct
 * with its `routingApi` prop; the default is classic.
 */
export enum RoutingApi {
  /** Istio's `networking.istio.io` kinds: Gateway, VirtualService, DestinationRule subsets for versions. */
  CLASSIC = 'classic',
  /**
   * The Kubernetes Gateway API (`gateway.networking.k8s.io`): a Gateway of class `istio`, HTTPRoute,
   * TCPRoute and TLSRoute with `parentRefs` to the Gateway (ingress) or the Service (mesh, GAMMA),
   * and one Service per routed version (`reviews-v1`). Route features the Gateway API has no
   * equivalent for fail synthesis.
   */
  GATEWAY_API = 'gateway-api',
}

/** The construct context key holding the routing API of a scope and everything below it. */
export const ROUTING_API_CONTEXT = 'cdk8s-istio:routing-api';

/**
 * Makes every Gateway and VirtualService under `scope` (an App or a Chart) render to `api`, unless
 * one sets its own `routingApi`. Call it before adding constructs to the scope.
 */
export function useRoutingApi(scope: Construct, api: RoutingApi): void {
  if (!Object.values(RoutingApi).includes(api)) {
    throw new MeshConfigError(scope, 'routingApi', `"${api}" is not a routing API`, `use one of ${Object.values(RoutingApi).join(', ')}`);
  }
  if (scope.node.children.length > 0) {
    throw new MeshConfigError(scope, 'routingApi', 'the routing API is chosen after constructs were added to this scope',
      'call useRoutingApi() right after creating the App or Chart, before adding constructs to it');
  }
  scope.node.setContext(ROUTING_API_CONTEXT, api);
}

/** The routing API of a construct: its own choice, else the nearest scope's ({@link useRoutingApi}), else classic. */
export function routingApiOf(scope: IConstruct, own?: RoutingApi): RoutingApi {
  const api = own ?? scope.node.tryGetContext(ROUTING_API_CONTEXT) ?? RoutingApi.CLASSIC;
  if (!Object.values(RoutingApi).includes(api)) {
    throw new MeshConfigError(scope, 'routingApi', `"${api}" is not a routing API`, `use one of ${Object.values(RoutingApi).join(', ')}`);
  }
  return api;
}

/** Kinds of route a VirtualService holds. */
export type RouteKind = 'http' | 'tcp' | 'tls';

/** What a VirtualService in Gateway API mode tells its rendering. */
export interface GatewayApiRouteSink {
  /** The first Gateway API object of the VirtualService, once it has one. */
  readonly resource: ApiObject | undefined;
  /** The route just appended to the VirtualService's list of `kind` (checks it and binds its destinations). */
  routeAdded(kind: RouteKind): void;
}

/** What a Gateway in Gateway API mode tells its rendering. */
export interface GatewayApiListenerSink {
  /** The Gateway API Gateway object. */
  readonly resource: ApiObject;
  /** The server just appended to the Gateway (its HTTP→HTTPS redirect route, when it has one). */
  serverAdded(): void;
}

/**
 * The Gateway API renderings of the classic constructs. lib/gateway-api registers them
 * (lib/gateway-api/index.ts, loaded by the package's entry point), so lib/mesh never imports the
 * layer above it.
 */
export interface GatewayApiRenderers {
  /** Starts the rendering of a Gateway (the construct is a lib/mesh Gateway). */
  gateway(gateway: Construct): GatewayApiListenerSink;
  /** Starts the rendering of a VirtualService (the construct is a lib/mesh VirtualService). */
  virtualService(virtualService: Construct): GatewayApiRouteSink;
}

let renderers: GatewayApiRenderers | undefined;

/** Registers the Gateway API renderings (once, by lib/gateway-api/index.ts). */
export function registerGatewayApiRenderers(r: GatewayApiRenderers): void {
  renderers = r;
}

/** The Gateway API renderings; `scope` is named in the error when they are not loaded. */
export function gatewayApiRenderers(scope: IConstruct): GatewayApiRenderers {
  if (renderers === undefined) {
    throw new MeshConfigError(scope, 'routingApi', 'the Gateway API rendering is not loaded',
      "import the library through its entry point (import { ... } from 'cdk8s-istio'), which loads it");
  }
  return renderers;
}
