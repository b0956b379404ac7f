import { Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, Caller, DestinationRule, EgressGatewayRoute, EgressProtocol, Gateway, GatewayProtocol,
  GatewayTls, HttpMatch, MeshNamespace, MeshService, RoutingApi, Sidecar, Subset, TlsProtocolVersion, VirtualService, deployedGateway,
  suppressAnalysis,
} from '../../lib';

/** The five services of the food delivery app. */
export const FOOD_SERVICES = ['user', 'restaurant', 'order', 'delivery', 'payment'] as const;
/** One of the food delivery services. */
export type FoodService = typeof FOOD_SERVICES[number];

/** The HTTP port every food delivery service listens on. */
export const FOOD_PORT = 8080;

/**
 * The default image: HashiCorp's http-echo, which answers every request with its `-text`, so each
 * service replies with its own name and version.
 */
export const DEFAULT_FOOD_IMAGE = 'hashicorp/http-echo:1.0.0';

/** The payment provider's API, which payment calls over HTTPS through the egress gateway. */
export const PAYMENT_PROVIDER_HOST = 'api.stripe.com';

/** Settings of the food delivery app. */
export interface FoodDeliveryProps extends ChartProps {
  /**
   * The namespace (created, with sidecar injection).
   * @default 'food-delivery'
   */
  readonly namespace?: string;
  /**
   * The public host name of the HTTPS ingress.
   * @default 'food.example.com'
   */
  readonly domain?: string;
  /**
   * The `kubernetes.io/tls` Secret (in istio-system) with the certificate for `domain`.
   * @default 'food-delivery-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Images per service. A service given an image here runs it with its own entrypoint and must
   * serve HTTP on port 8080.
   * @default DEFAULT_FOOD_IMAGE for every service, answering "<service> v1"
   */
  readonly images?: Partial<Record<FoodService, string>>;
  /**
   * Pod replicas of every service.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * A five-service food delivery app in a zero-trust mesh:
 *
 *   ingress -> user, restaurant, order;  order -> restaurant, payment, delivery;  delivery -> user
 *
 * HTTPS ingress with HTTP redirect; `/api/users`, `/api/restaurants` and `/api/orders` go to their
 * services, and `/api/deliveries` and `/api/payments` to order, the public face of an order's
 * delivery and payment (the ingress may only call what the call graph allows). Calls from order to
 * payment get retries and a timeout; payment has circuit breaking. STRICT mTLS, deny by default,
 * and one allow per edge of the call graph. Egress is explicit: payment reaches the payment
 * provider only through the egress gateway, and each service's Sidecar (REGISTRY_ONLY) lists only
 * the hosts it calls.
 */
export class FoodDeliveryChart extends Chart {
  /** The services by name. */
  public readonly services: Readonly<Record<FoodService, MeshService>>;
  /** The ingress Gateway. */
  public readonly gateway: Gateway;
  /** The public host. */
  public readonly domain: string;

  constructor(scope: Construct, id: string, props: FoodDeliveryProps = {}) {
    const namespace = props.namespace ?? 'food-delivery';
    super(scope, id, { ...props, namespace });
    this.domain = props.domain ?? 'food.example.com';
    const ns = new MeshNamespace(this, 'Namespace', { name: namespace });

    const service = (name: FoodService) => new MeshService(this, name, {
      port: FOOD_PORT,
      versions: {
        v1: props.images?.[name]
          ? { image: props.images[name]!, replicas: props.replicas }
          : { image: DEFAULT_FOOD_IMAGE, replicas: props.replicas, args: [`-listen=:${FOOD_PORT}`, `-text=${name} v1`] },
      },
    });
    this.services = Object.fromEntries(FOOD_SERVICES.map(name => [name, service(name)])) as Record<FoodService, MeshService>;
    const { user, restaurant, order, delivery, payment } = this.services;

    this.gateway = new Gateway(this, 'food-gateway', {
      servers: [
        { port: 80, protocol: GatewayProtocol.HTTP, hosts: [this.domain], httpsRedirect: true },
        {
          port: 443,
          protocol: GatewayProtocol.HTTPS,
          hosts: [this.domain],
          tls: GatewayTls.simple(props.tlsSecretName ?? 'food-delivery-tls', { minProtocolVersion: TlsProtocolVersion.TLSV1_2 }),
        },
      ],
    });
    const api = (path: string, target: MeshService) => ({ match: [HttpMatch.prefix(path)], to: [target.version('v1')] });
    new VirtualService(this, 'food-ingress', {
      hosts: [this.domain],
      gateways: [this.gateway],
      http: [
        api('/api/users', user), api('/api/restaurants', restaurant), api('/api/orders', order),
        api('/api/deliveries', order), api('/api/payments', order),
      ],
    });

    // Resilience: order -> payment retries and times out; payment sheds load and ejects failing pods.
    new DestinationRule(this, 'payment-rule', {
      name: 'payment',
      host: payment,
      subsets: [Subset.version('v1')],
      trafficPolicy: {
        connectionPool: { maxConnections: 100, http1MaxPendingRequests: 10, maxRequestsPerConnection: 10 },
        outlierDetection: {
          consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30), maxEjectionPercent: 50,
        },
      },
    });
    // Routing by the caller's labels, with retries: no Gateway API equivalent, so classic in both renderings.
    new VirtualService(this, 'payment-route', {
      routingApi: RoutingApi.CLASSIC,
      name: 'payment',
      hosts: [payment],
      http: [
        {
          name: 'from-order',
          match: [HttpMatch.sourceLabels({ app: order.name })],
          to: [payment.version('v1')],
          timeout: Duration.seconds(3),
          // The first try and 2 retries of 1s each fit in the 3s timeout.
          retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['5xx', 'reset', 'connect-failure'] },
        },
        { to: [payment.version('v1')] },
      ],
    });

    // Zero trust: mutual TLS only, nothing allowed but the call graph.
    ns.requireMtls();
    ns.denyByDefault();
    const ingress = this.gateway.routingApi === RoutingApi.GATEWAY_API ? this.gatewayApiIngress() : Caller.ingressGateway();
    user.allowFrom([ingress, delivery]);
    restaurant.allowFrom([ingress, order]);
    order.allowFrom(ingress);
    payment.allowFrom(order);
    delivery.allowFrom(order);

    // Explicit egress: the payment provider through the egress gateway; each proxy knows only the hosts its service calls.
    const egress = new EgressGatewayRoute(this, 'payment-provider', {
      name: 'payment-provider', host: PAYMENT_PROVIDER_HOST, protocol: EgressProtocol.TLS, callers: [payment],
    });
    // The egress gateway is the install's (the demo profile's istio-egressgateway), which a files-only analysis does not see (IST0101).
    suppressAnalysis({ resource: egress.gateway }, ['IST0101']);
    suppressAnalysis({ resource: egress.virtualService }, ['IST0101']);
    suppressAnalysis(egress.destinationRule, ['IST0174']);
    for (const name of FOOD_SERVICES) new Sidecar(this, `${name}-sidecar`, { workload: this.services[name] });
  }

  /**
   * The ingress of the Gateway API rendering: Istio deploys the gateway in this namespace, where
   * the deny-by-default applies to it too, so its pods accept anyone (they are the public entry);
   * the services allow them by their ServiceAccount.
   */
  private gatewayApiIngress(): Caller {
    AuthorizationPolicy.forGateway(this, 'GatewayAllow', this.gateway);
    const gateway = deployedGateway(this.gateway);
    return Caller.ingressGateway(gateway.namespace, gateway.name);
  }
}
