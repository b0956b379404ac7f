import { Construct } from 'constructs';
import { NO_SIDECAR, checksum, hardenedPod, httpProbe, kube, yamlText } from './addon-objects';
import { addonImage } from './addon-settings';
import { checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** Settings of {@link Jaeger}. */
export interface JaegerProps {
  /** The namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** The all-in-one image. @default 'docker.io/jaegertracing/jaeger:2.17.0' (Istio's addon) */
  readonly image?: string;
  /** The path prefix of the query UI. @default '/jaeger' */
  readonly basePath?: string;
  /**
   * The sampling probability (0 to 1) Jaeger's remote sampling answers clients that ask (Istio's proxies sample by their own settings).
   * @default 1
   */
  readonly samplingProbability?: number;
}

/** The ports Jaeger listens on, by purpose. */
const PORTS = {
  query: 16686,
  queryGrpc: 16685,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  jaegerGrpc: 14250,
  jaegerThrift: 14268,
  zipkin: 9411,
  health: 13133,
  metrics: 8888,
  samplingHttp: 5778,
  samplingGrpc: 5779,
  expvar: 27777,
  zpages: 27778,
  thriftBinary: 6832,
  thriftCompact: 6831,
} as const;

/**
 * Jaeger as Istio's addon deploys it (samples/addons/jaeger.yaml): the all-in-one Deployment
 * with badger storage in an emptyDir, its configuration ConfigMap (generated), and the Services
 * `tracing` (query UI on 80 and gRPC query on 16685), `zipkin` (9411, the Zipkin API Istio's
 * proxies can send to) and `jaeger-collector` (Jaeger, Zipkin and OTLP receivers).
 */
export class Jaeger extends Construct {
  /** The name of its Deployment and ConfigMap. */
  public readonly name = 'jaeger';
  /** The namespace. */
  public readonly namespace: string;
  /** The path prefix of the query UI. */
  public readonly basePath: string;
  /** The labels its Services select. */
  public readonly selector: Readonly<Record<string, string>> = { app: 'jaeger' };

  constructor(scope: Construct, id: string, props: JaegerProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    this.basePath = props.basePath ?? '/jaeger';
    if (!/^\/[A-Za-z0-9._~/-]*$/.test(this.basePath)) {
      throw new MeshConfigError(this, 'basePath', `"${this.basePath}" is not a URL path`, 'use a path starting with "/", e.g. "/jaeger"');
    }
    const probability = props.samplingProbability ?? 1;
    if (!(probability >= 0 && probability <= 1)) {
      throw new MeshConfigError(this, 'samplingProbability', `${probability} is not a probability`, 'use a number from 0 to 1');
    }
    const k8s = kube();
    const at = (port: number) => `0.0.0.0:${port}`;
    const config = yamlText({
      service: {
        extensions: ['jaeger_storage', 'jaeger_query', 'remote_sampling', 'healthcheckv2', 'expvar', 'zpages'],
        pipelines: { traces: { receivers: ['otlp', 'jaeger', 'zipkin'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
        telemetry: {
          resource: { 'service.name': 'jaeger' },
          metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: PORTS.metrics } } } }] },
          logs: { level: 'info' },
        },
      },
      extensions: {
        jaeger_query: { base_path: this.basePath, storage: { traces: 'badger_storage' } },
        jaeger_storage: {
          backends: { badger_storage: { badger: { ephemeral: false, directories: { keys: '/badger/key', values: '/badger/data/' } } } },
        },
        remote_sampling: {
          file: { path: null, default_sampling_probability: probability, reload_interval: '1s' },
          http: { endpoint: at(PORTS.samplingHttp) },
          grpc: { endpoint: at(PORTS.samplingGrpc) },
        },
        healthcheckv2: { use_v2: true, http: { endpoint: at(PORTS.health) }, grpc: null },
        expvar: { endpoint: at(PORTS.expvar) },
        zpages: { endpoint: at(PORTS.zpages) },
      },
      receivers: {
        otlp: { protocols: { grpc: { endpoint: at(PORTS.otlpGrpc) }, http: { endpoint: at(PORTS.otlpHttp) } } },
        jaeger: {
          protocols: {
            grpc: { endpoint: at(PORTS.jaegerGrpc) },
            thrift_http: { endpoint: at(PORTS.jaegerThrift) },
            thrift_binary: { endpoint: at(PORTS.thriftBinary) },
            thrift_compact: { endpoint: at(PORTS.thriftCompact) },
          },
        },
        zipkin: { endpoint: at(PORTS.zipkin) },
      },
      processors: { batch: null },
      exporters: { jaeger_storage_exporter: { trace_storage: 'badger_storage' } },
    });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.selector } },
      spec: {
        selector: { matchLabels: { ...this.selector } },
        template: {
          metadata: {
            labels: { ...this.selector, ...NO_SIDECAR },
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(PORTS.metrics),
              'checksum/config': checksum(config),
            },
          },
          spec: hardenedPod({
            containers: [{
              name: 'jaeger',
              image: addonImage(this, 'image', props.image, 'docker.io/jaegertracing/jaeger:2.17.0').image,
              args: ['--config', '/jaeger-configuration/config.yaml'],
              livenessProbe: httpProbe('/status', PORTS.health),
              readinessProbe: httpProbe('/status', PORTS.health),
              volumeMounts: [{ name: 'data', mountPath: '/badger' }, { name: 'jaeger-configuration', mountPath: '/jaeger-configuration' }],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m') } },
            }],
            volumes: [{ name: 'data', emptyDir: {} }, { name: 'jaeger-configuration', configMap: { name: this.name } }],
          }),
        },
      },
    });
    /** A Service port; `targetPort: false` leaves it to Kubernetes' default (the port), as upstream's OTLP ports. */
    const port = (name: string, number: number, options: { targetPort?: number | false; appProtocol?: string } = {}) => ({
      name,
      port: number,
      protocol: 'TCP',
      appProtocol: options.appProtocol,
      targetPort: options.targetPort === false ? undefined : k8s.IntOrString.fromNumber(options.targetPort ?? number),
    });
    new k8s.KubeService(this, 'TracingService', {
      metadata: { name: 'tracing', namespace: this.namespace, labels: { ...this.selector } },
      spec: {
        type: 'ClusterIP',
        ports: [port('http-query', 80, { targetPort: PORTS.query }), port('grpc-query', PORTS.queryGrpc)],
        selector: { ...this.selector },
      },
    });
    new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.selector } }, data: { 'config.yaml': config },
    });
    new k8s.KubeService(this, 'ZipkinService', {
      metadata: { name: 'zipkin', namespace: this.namespace, labels: { name: 'zipkin' } },
      spec: { ports: [port('http-query', PORTS.zipkin)], selector: { ...this.selector } },
    });
    new k8s.KubeService(this, 'CollectorService', {
      metadata: { name: 'jaeger-collector', namespace: this.namespace, labels: { ...this.selector } },
      spec: {
        type: 'ClusterIP',
        ports: [
          // appProtocol: the upstream names of the Jaeger ports say nothing Istio understands
          port('jaeger-collector-http', PORTS.jaegerThrift, { appProtocol: 'http' }),
          port('jaeger-collector-grpc', PORTS.jaegerGrpc, { appProtocol: 'grpc' }),
          port('http-zipkin', PORTS.zipkin),
          port('grpc-otel', PORTS.otlpGrpc, { targetPort: false }), port('http-otel', PORTS.otlpHttp, { targetPort: false }),
        ],
        selector: { ...this.selector },
      },
    });
  }

  /** The query UI's URL inside the cluster (the `tracing` Service). */
  public get url(): string {
    return `http://tracing.${this.namespace}${this.basePath}`;
  }

  /** The gRPC query API's URL inside the cluster, which Kiali reads traces from. */
  public get grpcUrl(): string {
    return `http://tracing.${this.namespace}:${PORTS.queryGrpc}${this.basePath}`;
  }

  /** The OTLP/gRPC collector address `host:port` proxies send traces to (an `opentelemetry` extension provider). */
  public get otlpCollector(): { service: string; port: number } {
    return { service: `jaeger-collector.${this.namespace}.svc.cluster.local`, port: PORTS.otlpGrpc };
  }
}
