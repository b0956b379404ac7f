import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Destination, DestinationRule, Gateway, GatewayProtocol, HttpMatch, MeshNamespace, MeshService, Subset, VirtualService,
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
  /** The DestinationRules of networking/destination-rule-all.yaml, by service. */
  public readonly rules: Record<'productpage' | 'reviews' | 'ratings' | 'details', DestinationRule>;

  constructor(scope: Construct, id: string, props: BookinfoProps = {}) {
    const namespace = props.namespace ?? 'bookinfo';
    super(scope, id, { ...props, namespace });
    const registry = props.imageRegistry ?? 'registry.istio.io/release';
    const tag = props.imageTag ?? '1.20.3';
    const image = (service: string, version: string) => `${registry}/examples-bookinfo-${service}-${version}:${tag}`;
    const tmp = { name: 'tmp', mountPath: '/tmp' };
    const account = (service: string) => `bookinfo-${service}`;

    new MeshNamespace(this, 'Namespace', { name: namespace });

    this.details = new MeshService(this, 'details', {
      port: 9080, serviceAccountName: account('details'),
      versions: { v1: { image: image('details', 'v1') } },
    });
    this.ratings = new MeshService(this, 'ratings', {
      port: 9080, serviceAccountName: account('ratings'),
      versions: { v1: { image: image('ratings', 'v1') } },
    });
    // Liberty writes logs and its workarea outside the image: both are emptyDirs, as upstream.
    const reviewsVersion = (version: string) => ({
      image: image('reviews', version),
      env: { LOG_DIR: '/tmp/logs' },
      volumes: [tmp, { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' }],
    });
    this.reviews = new MeshService(this, 'reviews', {
      port: 9080, serviceAccountName: account('reviews'),
      versions: { v1: reviewsVersion('v1'), v2: reviewsVersion('v2'), v3: reviewsVersion('v3') },
    });
    this.productpage = new MeshService(this, 'productpage', {
      port: 9080, serviceAccountName: account('productpage'),
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

    const versions = (...names: string[]) => names.map(v => Subset.version(v));
    this.rules = {
      productpage: new DestinationRule(this, 'productpage-rule', { name: 'productpage', host: this.productpage, subsets: versions('v1') }),
      reviews: new DestinationRule(this, 'reviews-rule', { name: 'reviews', host: this.reviews, subsets: versions('v1', 'v2', 'v3') }),
      ratings: new DestinationRule(this, 'ratings-rule', { name: 'ratings', host: this.ratings, subsets: versions('v1', 'v2', 'v2-mysql', 'v2-mysql-vm') }),
      details: new DestinationRule(this, 'details-rule', { name: 'details', host: this.details, subsets: versions('v1', 'v2') }),
    };

    routeAllToV1(this, this);
  }
}

/** The four VirtualServices of networking/virtual-service-all-v1.yaml, in `scope`. */
export function routeAllToV1(scope: Construct, bookinfo: BookinfoChart): void {
  for (const service of [bookinfo.productpage, bookinfo.reviews, bookinfo.ratings, bookinfo.details]) {
    new VirtualService(scope, `${service.name}-route`, { name: service.name, hosts: [service], http: [{ to: [service.version('v1')] }] });
  }
}
