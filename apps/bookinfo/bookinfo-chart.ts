import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AuthorizationPolicy, Caller, ClientTlsMode, Destination, DestinationRule, Gateway, GatewayProtocol, HttpMatch, MeshConfigError,
  MeshEnrollment, MeshNamespace, MeshService, RoutingApi, Subset, VirtualService, suppressAnalysis, useRoutingApi,
} from '../../lib';

/** Settings of the Bookinfo app. */
export interface BookinfoProps extends ChartProps {
  /**
   * The namespace Bookinfo runs in (created, with sidecar injection).
   * @default 'bookinfo'
   */
  readonly namespace?: string;
  /**
   * Registry the Bookinfo images come from.
   * @default 'registry.istio.io/release' (as upstream)
   */
  readonly imageRegistry?: string;
  /**
   * Tag of the Bookinfo images.
   * @default '1.20.3' (as upstream)
   */
  readonly imageTag?: string;
  /**
   * The zero-trust profile of the Istio security tasks: STRICT mutual TLS in the namespace,
   * ISTIO_MUTUAL destination rules, `allow-nothing`, and GET-only allows along the call graph
   * (anyone → productpage → details, reviews; reviews → ratings).
   * @default false
   */
  readonly secure?: boolean;
  /**
   * The API the gateway and routes render to. With the Gateway API, versions are routed through
   * one Service per version (bookinfo-versions.yaml) and the chart has no DestinationRules.
   * @default the scope's choice, classic when none is made
   */
  readonly routingApi?: RoutingApi;
  /**
   * Ambient mode (Istio's ambient getting-started): the namespace enrolled with
   * `istio.io/dataplane-mode: ambient`, no sidecars, and a waypoint `waypoint` its services use,
   * which enforces the L7 policies of the secure profile. Needs `routingApi: RoutingApi.GATEWAY_API`:
   * the ambient install profile has no istio-ingressgateway, and waypoints use no DestinationRule subsets.
   * @default false
   */
  readonly ambient?: boolean;
}

/**
 * Istio's Bookinfo sample (platform/kube/bookinfo.yaml, networking/bookinfo-gateway.yaml and
 * networking/destination-rule-all.yaml) with every service routed to v1, in an injected namespace.
 */
export class BookinfoChart extends Chart {
  /** The four services. */
  public readonly productpage: MeshService;
  /** details: v1 deployed; the rule also defines v2 for the details-v2 scenario. */
  public readonly details: MeshService;
  /** reviews: v1 (no stars), v2 (black stars), v3 (red stars). */
  public readonly reviews: MeshService;
  /** ratings: v1 deployed; the rule also defines the v2 database variants. */
  public readonly ratings: MeshService;
  /** The ingress Gateway `bookinfo-gateway`. */
  public readonly gateway: Gateway;
  private readonly subsetRules?: Record<'productpage' | 'reviews' | 'ratings' | 'details', DestinationRule>;

  constructor(scope: Construct, id: string, props: BookinfoProps = {}) {
    const namespace = props.namespace ?? 'bookinfo';
    super(scope, id, { ...props, namespace });
    if (props.routingApi !== undefined) useRoutingApi(this, props.routingApi);
    const registry = props.imageRegistry ?? 'registry.istio.io/release';
    const tag = props.imageTag ?? '1.20.3';
    const image = (service: string, version: string) => `${registry}/examples-bookinfo-${service}-${version}:${tag}`;
    const tmp = { name: 'tmp', mountPath: '/tmp' };
    const account = (service: string) => `bookinfo-${service}`;

    const meshNamespace = new MeshNamespace(this, 'Namespace', {
      name: namespace, ...(props.ambient && { enrollment: MeshEnrollment.AMBIENT }),
    });
    if (props.ambient) meshNamespace.addWaypoint();

    this.details = new MeshService(this, 'details', {
      port: 9080,
      serviceAccountName: account('details'),
      versions: { v1: { image: image('details', 'v1') } },
    });
    this.ratings = new MeshService(this, 'ratings', {
      port: 9080,
      serviceAccountName: account('ratings'),
      versions: { v1: { image: image('ratings', 'v1') } },
    });
    // Liberty writes logs and its workarea outside the image: both are emptyDirs, as upstream.
    const reviewsVersion = (version: string) => ({
      image: image('reviews', version),
      env: { LOG_DIR: '/tmp/logs' },
      volumes: [tmp, { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' }],
    });
    this.reviews = new MeshService(this, 'reviews', {
      port: 9080,
      serviceAccountName: account('reviews'),
      versions: { v1: reviewsVersion('v1'), v2: reviewsVersion('v2'), v3: reviewsVersion('v3') },
    });
    this.productpage = new MeshService(this, 'productpage', {
      port: 9080,
      serviceAccountName: account('productpage'),
      podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080', 'prometheus.io/path': '/metrics' },
      versions: { v1: { image: image('productpage', 'v1'), volumes: [tmp] } },
    });

    this.gateway = new Gateway(this, 'bookinfo-gateway', {
      servers: [{ port: 8080, protocol: GatewayProtocol.HTTP, hosts: ['*'] }],
    });
    new VirtualService(this, 'bookinfo', {
      hosts: ['*'],
      gateways: [this.gateway],
      http: [{
        match: [
          HttpMatch.exact('/productpage'), HttpMatch.prefix('/static'), HttpMatch.exact('/login'),
          HttpMatch.exact('/logout'), HttpMatch.prefix('/api/v1/products'),
        ],
        to: [Destination.toService(this.productpage, { port: 9080 })],
      }],
    });

    if (props.ambient && this.gateway.routingApi !== RoutingApi.GATEWAY_API) {
      throw new MeshConfigError(this, 'ambient', 'the ambient install profile has no istio-ingressgateway, and waypoints use no '
        + 'DestinationRule subsets', 'set routingApi: RoutingApi.GATEWAY_API');
    }
    const trafficPolicy = props.secure ? { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } } : undefined;
    if (this.gateway.routingApi === RoutingApi.CLASSIC) {
      this.subsetRules = {
        productpage: bookinfoRule(this, this.productpage, trafficPolicy),
        reviews: bookinfoRule(this, this.reviews, trafficPolicy),
        ratings: bookinfoRule(this, this.ratings, trafficPolicy),
        details: bookinfoRule(this, this.details, trafficPolicy),
      };
    }

    routeAllToV1(this, this);

    if (props.secure) {
      meshNamespace.requireMtls();
      meshNamespace.denyByDefault();
      const get = (policyName: string) => ({ methods: ['GET'], policyName });
      this.productpage.allowFrom(Caller.any(), get('productpage-viewer'));
      if (this.gateway.routingApi === RoutingApi.GATEWAY_API) {
        // the gateway's own proxy runs in this namespace, under its allow-nothing (the task's Gateway API variant)
        AuthorizationPolicy.forGateway(this, 'bookinfo-gateway-viewer', this.gateway, {
          name: 'bookinfo-gateway-viewer', rules: [{ to: [{ methods: ['GET'] }] }],
        });
      }
      this.details.allowFrom(this.productpage, get('details-viewer'));
      this.reviews.allowFrom(this.productpage, get('reviews-viewer'));
      this.ratings.allowFrom(this.reviews, get('ratings-viewer'));
    }
  }

  /**
   * The DestinationRules of networking/destination-rule-all.yaml, by service. Classic rendering
   * only: Gateway API routes name a version's Service, not a subset.
   */
  public get rules(): Record<'productpage' | 'reviews' | 'ratings' | 'details', DestinationRule> {
    if (this.subsetRules === undefined) {
      throw new MeshConfigError(this, 'rules', 'Bookinfo rendered to the Gateway API has no DestinationRule subsets',
        'route to a version with service.version(), which routes through the version\'s Service');
    }
    return this.subsetRules;
  }
}

/** The subsets of networking/destination-rule-all.yaml: the deployed versions plus those of other upstream files. */
const BOOKINFO_SUBSETS: Record<string, string[]> = {
  productpage: ['v1'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm'],
  details: ['v1', 'v2'],
};

/** The DestinationRule of destination-rule-all(-mtls).yaml for one service, in `scope`. */
export function bookinfoRule(scope: Construct, service: MeshService, trafficPolicy?: { tls: { mode: ClientTlsMode } }): DestinationRule {
  const subsets = BOOKINFO_SUBSETS[service.name];
  const rule = new DestinationRule(scope, `${service.name}-rule`, {
    name: service.name, host: service, trafficPolicy, subsets: subsets.map(v => Subset.version(v)),
  });
  // Subsets for versions deployed by other upstream files (details-v2, ratings-v2*) select no pods
  // here (IST0173), and some scenario files route to them (Kiali's KIA0203).
  if (subsets.some(v => !service.versionNames.includes(v))) suppressAnalysis(rule, ['IST0173', 'KIA0203']);
  return rule;
}

/** The four VirtualServices of networking/virtual-service-all-v1.yaml, in `scope`. */
export function routeAllToV1(scope: Construct, bookinfo: BookinfoChart): void {
  for (const service of [bookinfo.productpage, bookinfo.reviews, bookinfo.ratings, bookinfo.details]) {
    new VirtualService(scope, `${service.name}-route`, { name: service.name, hosts: [service], http: [{ to: [service.version('v1')] }] });
  }
}
