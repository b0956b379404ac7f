import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { kube } from './addon-objects';
import { Grafana, GrafanaDataSource, GrafanaProps } from './grafana';
import { Jaeger, JaegerProps } from './jaeger';
import { Kiali, KialiProps } from './kiali';
import { Loki, LokiProps } from './loki';
import { Prometheus, PrometheusProps } from './prometheus';
import { checkProps, describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkGatewayHost, checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';
import { Destination } from '../mesh/destination';
import { Gateway, GatewayProtocol, GatewayTls } from '../mesh/gateway';
import { VirtualService } from '../mesh/virtual-service';

/** Props of {@link ObservabilityAddons}. */
export interface ObservabilityAddonsProps {
  /** The namespace of every addon. @default 'istio-system' */
  readonly namespace?: string;
  /** Prometheus' settings (it is always installed: Kiali and Grafana read it). @default Istio's addon */
  readonly prometheus?: Omit<PrometheusProps, 'namespace'>;
  /** Grafana's settings, or `false` for none. @default Istio's addon, anonymous users as viewers */
  readonly grafana?: Omit<GrafanaProps, 'namespace' | 'dataSources'> | false;
  /** Jaeger's settings, or `false` for none. @default Istio's addon */
  readonly jaeger?: Omit<JaegerProps, 'namespace'> | false;
  /** Kiali's settings, or `false` for none. @default Istio's addon, view only */
  readonly kiali?: Omit<KialiProps, 'namespace' | 'prometheusUrl' | 'grafana' | 'tracing'> | false;
  /** Loki's settings, or `false` for none. @default Istio's addon */
  readonly loki?: Omit<LokiProps, 'namespace'> | false;
}

/** Node ports of {@link ObservabilityAddons.exposeOnNodePorts}. */
export interface AddonNodePorts {
  /** Kiali's UI (20001). @default 30007 (the tutorials') */
  readonly kiali?: number;
  /** Kiali's own metrics (9090). @default 30008 (the tutorials') */
  readonly kialiMetrics?: number;
  /** Prometheus (9090). @default 30009 (the tutorials') */
  readonly prometheus?: number;
  /** Grafana (3000). @default 30010 */
  readonly grafana?: number;
  /** Jaeger's UI (the `tracing` Service's port 80). @default 30011 */
  readonly jaeger?: number;
}

/** Host names of {@link ObservabilityAddons.exposeThroughGateway}: an addon without one is not exposed. */
export interface AddonHosts {
  /** Kiali's host, e.g. `kiali.example.com`. @default not exposed */
  readonly kiali?: string;
  /** Prometheus' host. @default not exposed */
  readonly prometheus?: string;
  /** Grafana's host. @default not exposed */
  readonly grafana?: string;
  /** Jaeger's host. @default not exposed */
  readonly jaeger?: string;
}

/** Options of {@link ObservabilityAddons.exposeThroughGateway}. */
export interface AddonGatewayOptions {
  /** The host of each addon exposed. */
  readonly hosts: AddonHosts;
  /** The TLS Secret (in the gateway's namespace) holding the certificate of every host. */
  readonly credentialName: string;
  /** The labels of the ingress gateway pods. @default { istio: 'ingressgateway' } */
  readonly selector?: Record<string, string>;
}

/**
 * Istio's observability addons (samples/addons/) in one construct — Prometheus, Grafana, Jaeger,
 * Kiali and Loki, wired to each other (Grafana's data sources, Kiali's Prometheus, Grafana and
 * tracing URLs) — reachable only inside the cluster (`istioctl dashboard kiali`) until exposed
 * with `exposeOnNodePorts()` or `exposeThroughGateway()`, one of the two per chart. Put it in a chart without
 * a namespace: it holds cluster-wide RBAC objects and sets each object's namespace itself.
 */
export class ObservabilityAddons extends Construct {
  /** The namespace of every addon. */
  public readonly namespace: string;
  /** Prometheus. */
  public readonly prometheus: Prometheus;
  /** Grafana, unless left out. */
  public readonly grafana?: Grafana;
  /** Jaeger, unless left out. */
  public readonly jaeger?: Jaeger;
  /** Kiali, unless left out. */
  public readonly kiali?: Kiali;
  /** Loki, unless left out. */
  public readonly loki?: Loki;

  private readonly exposures = new Map<Chart, string>();

  constructor(scope: Construct, id: string, props: ObservabilityAddonsProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    const namespace = this.namespace;
    this.prometheus = new Prometheus(this, 'prometheus', { ...props.prometheus, namespace });
    this.loki = props.loki === false ? undefined : new Loki(this, 'loki', { ...props.loki, namespace });
    if (props.grafana !== false) {
      const dataSources: GrafanaDataSource[] = [
        { name: 'Prometheus', type: 'prometheus', url: this.prometheus.url, timeInterval: props.prometheus?.scrapeInterval ?? '15s' },
        ...this.loki ? [{ name: 'Loki', type: 'loki' as const, url: this.loki.url, timeInterval: '5s' }] : [],
      ];
      this.grafana = new Grafana(this, 'grafana', { ...props.grafana, namespace, dataSources });
    }
    this.jaeger = props.jaeger === false ? undefined : new Jaeger(this, 'jaeger', { ...props.jaeger, namespace });
    if (props.kiali !== false) {
      this.kiali = new Kiali(this, 'kiali', {
        ...props.kiali,
        namespace,
        prometheusUrl: this.prometheus.url,
        grafana: this.grafana && { internalUrl: this.grafana.url },
        tracing: this.jaeger && { internalUrl: this.jaeger.grpcUrl },
      });
    }
  }

  /**
   * Adds a Grafana dashboard of the app's (or chart's) MeshServices: request rate, error rate and
   * latency per service and version (see `Grafana.addAppDashboard`).
   */
  public addAppDashboard(name: string, app: IConstruct, title?: string): void {
    if (!this.grafana) throw new MeshConfigError(this, 'grafana', 'Grafana is left out, so it has no dashboards', 'remove grafana: false');
    this.grafana.addAppDashboard(name, app, title);
  }

  /**
   * Exposes the addons on node ports, as the tutorials do (Kiali 20001 → 30007 and 9090 → 30008,
   * Prometheus 9090 → 30009): one NodePort Service `<addon>-nodeport` per addon in `scope` (e.g. a
   * chart of its own), selecting the addon's pods, so the addons' own Services stay as upstream's.
   */
  public exposeOnNodePorts(scope: Construct, ports: AddonNodePorts = {}): void {
    this.claimExposure(scope, 'exposeOnNodePorts');
    const k8s = kube();
    const chosen = {
      kiali: ports.kiali ?? 30007,
      kialiMetrics: ports.kialiMetrics ?? 30008,
      prometheus: ports.prometheus ?? 30009,
      grafana: ports.grafana ?? 30010,
      jaeger: ports.jaeger ?? 30011,
    };
    const seen = new Map<number, string>();
    for (const [field, port] of Object.entries(chosen)) {
      if (typeof port !== 'number') {
        throw new MeshConfigError(this, `exposeOnNodePorts.${field}`, `must be a port number, not ${describeGiven(port)}`,
          `write ${field}: ${Number(port) || 30000} (unquoted)`);
      }
      if (!Number.isInteger(port) || port < 30000 || port > 32767) {
        throw new MeshConfigError(this, `exposeOnNodePorts.${field}`, `${port} is outside the default node port range`,
          'use an integer from 30000 to 32767');
      }
      const other = seen.get(port);
      if (other) {
        throw new MeshConfigError(this, `exposeOnNodePorts.${field}`, `${port} is already the node port of ${other}`,
          'give every addon its own node port');
      }
      seen.set(port, field);
    }
    const expose = (name: string, selector: Readonly<Record<string, string>>,
      list: { name: string; port: number; targetPort: number; nodePort: number }[]) =>
      new k8s.KubeService(scope, `${name}-nodeport`, {
        metadata: { name: `${name}-nodeport`, namespace: this.namespace },
        spec: {
          type: 'NodePort',
          selector: { ...selector },
          ports: list.map(p => ({
            name: p.name,
            port: p.port,
            targetPort: k8s.IntOrString.fromNumber(p.targetPort),
            nodePort: p.nodePort,
            protocol: 'TCP',
          })),
        },
      });
    if (this.kiali) {
      expose('kiali', this.kiali.selector, [
        { name: 'http', port: Kiali.PORT, targetPort: Kiali.PORT, nodePort: chosen.kiali },
        { name: 'http-metrics', port: Kiali.METRICS_PORT, targetPort: Kiali.METRICS_PORT, nodePort: chosen.kialiMetrics },
      ]);
    }
    expose('prometheus', this.prometheus.selector, [{
      name: 'http',
      port: Prometheus.PORT,
      targetPort: Prometheus.PORT,
      nodePort: chosen.prometheus,
    }]);
    if (this.grafana) {
      expose('grafana', this.grafana.selector, [{
        name: 'http',
        port: Grafana.PORT,
        targetPort: Grafana.PORT,
        nodePort: chosen.grafana,
      }]);
    }
    if (this.jaeger) {
      expose('tracing', this.jaeger.selector, [{
        name: 'http-query',
        port: 80,
        targetPort: 16686,
        nodePort: chosen.jaeger,
      }]);
    }
  }

  /**
   * Exposes the addons by host name through the ingress gateway, over HTTPS only (HTTP redirects):
   * in `scope`, a Gateway `addons-gateway` with the certificate `credentialName` and a
   * VirtualService per addon given a host. Every addon's UI is then reachable by anyone who can
   * reach the gateway: Kiali is anonymous and view only, Grafana anonymous as viewer, unless changed.
   */
  public exposeThroughGateway(scope: Construct, options: AddonGatewayOptions): void {
    this.claimExposure(scope, 'exposeThroughGateway');
    const targets = [
      { addon: 'kiali', host: options.hosts.kiali, present: this.kiali !== undefined, service: 'kiali', port: Kiali.PORT },
      { addon: 'prometheus', host: options.hosts.prometheus, present: true, service: 'prometheus', port: Prometheus.PORT },
      { addon: 'grafana', host: options.hosts.grafana, present: this.grafana !== undefined, service: 'grafana', port: Grafana.PORT },
      { addon: 'jaeger', host: options.hosts.jaeger, present: this.jaeger !== undefined, service: 'tracing', port: 80 },
    ].filter(t => t.host !== undefined);
    if (targets.length === 0) {
      throw new MeshConfigError(this, 'exposeThroughGateway.hosts', 'no addon has a host', 'give at least one addon a host name');
    }
    for (const t of targets) {
      checkGatewayHost(this, `exposeThroughGateway.hosts.${t.addon}`, t.host!);
      if (!t.present) {
        throw new MeshConfigError(this, `exposeThroughGateway.hosts.${t.addon}`, `${t.addon} is left out`,
          `remove its host or include ${t.addon}`);
      }
    }
    const hosts = targets.map(t => t.host!);
    const gateway = new Gateway(scope, 'addons-gateway', {
      selector: options.selector,
      servers: [
        { port: 80, protocol: GatewayProtocol.HTTP, hosts, httpsRedirect: true },
        { port: 443, protocol: GatewayProtocol.HTTPS, hosts, tls: GatewayTls.simple(options.credentialName) },
      ],
    });
    for (const t of targets) {
      new VirtualService(scope, `${t.addon}-route`, {
        name: t.addon,
        hosts: [t.host!],
        gateways: [gateway],
        http: [{ to: [Destination.toHost(`${t.service}.${this.namespace}.svc.cluster.local`, { port: t.port })] }],
      });
    }
  }

  /** One exposure per chart: both in one applied file would open the addons twice. */
  private claimExposure(scope: Construct, method: string): void {
    const chart = Chart.of(scope);
    const earlier = this.exposures.get(chart);
    if (earlier) {
      throw new MeshConfigError(this, method, `chart ${chart.node.path} already exposes the addons with ${earlier}()`,
        'expose them one way per chart (node ports for a cluster without a load balancer, the gateway for host names with TLS); '
          + 'offer both as two overlay charts applied one at a time');
    }
    this.exposures.set(chart, method);
  }
}
