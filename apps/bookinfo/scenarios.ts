import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BookinfoChart, bookinfoRule, routeAllToV1 } from './bookinfo-chart';
import {
  ClientTlsMode, Destination, DestinationRule, Gateway, GatewayProtocol, GatewayTls, HttpMatch, HttpRoute, LoadBalancer,
  LoadBalancerAlgorithm, MeshService, ServiceEntry, ServiceEntryResolution, StringMatch, Subset, VirtualService, suppressAnalysis,
} from '../../lib';

/** The header match the Istio tasks use to single out the user "jason". */
const JASON = [HttpMatch.header('end-user', StringMatch.exact('jason'))];

/** A VirtualService named after the service, for the service's own host. */
function route(scope: Construct, service: MeshService, ...http: HttpRoute[]): VirtualService {
  return new VirtualService(scope, `${service.name}-route`, { name: service.name, hosts: [service], http });
}

/** Builds one scenario into `chart`. */
type Scenario = (chart: Chart, bookinfo: BookinfoChart) => void;

/**
 * The traffic scenarios of Istio's samples/bookinfo/networking, by file name. Each is applied on
 * top of the base app, one at a time, as in the Istio tasks.
 */
export const BOOKINFO_SCENARIOS: Record<string, Scenario> = {
  'virtual-service-all-v1': (c, b) => routeAllToV1(c, b),
  'virtual-service-reviews-test-v2': (c, b) => route(c, b.reviews,
    { match: JASON, to: [b.reviews.version('v2')] }, { to: [b.reviews.version('v1')] }),
  'virtual-service-reviews-90-10': (c, b) => route(c, b.reviews,
    { to: [b.reviews.version('v1').withWeight(90), b.reviews.version('v2').withWeight(10)] }),
  'virtual-service-reviews-80-20': (c, b) => route(c, b.reviews,
    { to: [b.reviews.version('v1').withWeight(80), b.reviews.version('v2').withWeight(20)] }),
  'virtual-service-reviews-50-v3': (c, b) => route(c, b.reviews,
    { to: [b.reviews.version('v1').withWeight(50), b.reviews.version('v3').withWeight(50)] }),
  'virtual-service-reviews-v2-v3': (c, b) => route(c, b.reviews,
    { to: [b.reviews.version('v2').withWeight(50), b.reviews.version('v3').withWeight(50)] }),
  'virtual-service-reviews-v3': (c, b) => route(c, b.reviews, { to: [b.reviews.version('v3')] }),
  'virtual-service-reviews-jason-v2-v3': (c, b) => route(c, b.reviews,
    { match: JASON, to: [b.reviews.version('v2')] }, { to: [b.reviews.version('v3')] }),
  'virtual-service-ratings-test-delay': (c, b) => route(c, b.ratings,
    { match: JASON, fault: { delay: { percentage: 100, fixedDelay: Duration.seconds(7) } }, to: [b.ratings.version('v1')] },
    { to: [b.ratings.version('v1')] }),
  'virtual-service-ratings-test-abort': (c, b) => route(c, b.ratings,
    { match: JASON, fault: { abort: { percentage: 100, httpStatus: 500 } }, to: [b.ratings.version('v1')] },
    { to: [b.ratings.version('v1')] }),
  'virtual-service-details-v2': (c, b) => route(c, b.details, { to: [Destination.toSubset(b.rules.details, 'v2')] }),
  'virtual-service-ratings-db': (c, b) => {
    route(c, b.reviews, { to: [b.reviews.version('v3')] });
    route(c, b.ratings, { to: [Destination.toSubset(b.rules.ratings, 'v2')] });
  },
  'virtual-service-ratings-mysql': (c, b) => {
    route(c, b.reviews, { to: [b.reviews.version('v3')] });
    route(c, b.ratings, { to: [Destination.toSubset(b.rules.ratings, 'v2-mysql')] });
  },
  'virtual-service-ratings-mysql-vm': (c, b) => {
    route(c, b.reviews, { to: [b.reviews.version('v3')] });
    route(c, b.ratings, { to: [Destination.toSubset(b.rules.ratings, 'v2-mysql-vm')] });
  },
  'destination-rule-all-mtls': (c, b) => {
    for (const service of [b.productpage, b.reviews, b.ratings, b.details]) {
      bookinfoRule(c, service, { tls: { mode: ClientTlsMode.ISTIO_MUTUAL } });
    }
  },
  'destination-rule-reviews': (c, b) => {
    new DestinationRule(c, 'reviews-rule', {
      name: 'reviews',
      host: b.reviews,
      trafficPolicy: { loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM) },
      subsets: ['v1', 'v2', 'v3'].map(v => Subset.version(v)),
    });
  },
  'fault-injection-details-v1': (c, b) => {
    const rule = new DestinationRule(c, 'details-rule', { name: 'details', host: b.details, subsets: [Subset.version('v1')] });
    const v1 = Destination.toSubset(rule, 'v1');
    // Upstream's second rule is unreachable (the first matches every request): IST0130, kept for parity.
    suppressAnalysis(route(c, b.details, { fault: { abort: { httpStatus: 555, percentage: 100 } }, to: [v1] }, { to: [v1] }), ['IST0130']);
  },
  'egress-rule-google-apis': (c) => {
    const host = 'www.googleapis.com';
    new ServiceEntry(c, 'googleapis', {
      hosts: [host],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }, { number: 443, name: 'https', protocol: 'HTTPS' }],
      resolution: ServiceEntryResolution.DNS,
    });
    new VirtualService(c, 'rewrite-port-for-googleapis', {
      hosts: [host],
      http: [{ match: [HttpMatch.port(80)], to: [Destination.toHost(host, { port: 443 })] }],
    });
    // Upstream sets no caCertificates (IST0129): Istio verifies against the proxy's system roots.
    const originate = new DestinationRule(c, 'originate-tls-for-googleapis', {
      host,
      trafficPolicy: {
        loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN),
        portLevelSettings: [{ port: 443, tls: { mode: ClientTlsMode.SIMPLE } }],
      },
    });
    suppressAnalysis(originate, ['IST0129']);
  },
  'bookinfo-https': (c) => bookinfoHttps(c),
};

/** The host name of Bookinfo behind HTTPS (the `bookinfo-https` scenario). */
export const BOOKINFO_HTTPS_HOST = 'bookinfo.example.com';
/** The `kubernetes.io/tls` Secret, in istio-system, with the certificate of the HTTPS scenario (the EKS tutorial's name). */
export const BOOKINFO_TLS_SECRET = 'ecommerce-tls-secret';

/**
 * Bookinfo behind HTTPS, as the EKS tutorial publishes it: the Gateway `bookinfo-gateway` replaced
 * by one for the host name only, terminating TLS on the gateway's HTTPS port (8443, the Service's
 * 443) with the certificate of the Secret `ecommerce-tls-secret`, and redirecting HTTP (8080, the
 * Service's 80) to HTTPS. The base's VirtualService `bookinfo` binds to it unchanged.
 */
function bookinfoHttps(chart: Chart): void {
  new Gateway(chart, 'bookinfo-gateway', {
    servers: [
      { port: 8080, protocol: GatewayProtocol.HTTP, hosts: [BOOKINFO_HTTPS_HOST], httpsRedirect: true },
      { port: 8443, protocol: GatewayProtocol.HTTPS, hosts: [BOOKINFO_HTTPS_HOST], tls: GatewayTls.simple(BOOKINFO_TLS_SECRET) },
    ],
  });
}

/** The scenario that lives in istio-system rather than the Bookinfo namespace. */
export function certManagerGateway(scope: Construct, id: string): Chart {
  const chart = new Chart(scope, id, { namespace: 'istio-system' });
  const gateway = new Gateway(chart, 'cert-manager-gateway', {
    servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['*'] }],
  });
  // cert-manager creates the cert-manager-resolver Service while it solves a challenge (IST0101 until then).
  const acme = new VirtualService(chart, 'cert-manager', {
    hosts: ['*'],
    gateways: [gateway],
    http: [{
      match: [HttpMatch.prefix('/.well-known/acme-challenge/')],
      to: [Destination.toHost('cert-manager-resolver', { port: 8089 })],
    }],
  });
  suppressAnalysis(acme, ['IST0101']);
  return chart;
}
