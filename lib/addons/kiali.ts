import { Construct } from 'constructs';
import { NO_SIDECAR, checksum, hardenedPod, httpProbe, kube, yamlText } from './addon-objects';
import { addonImage, checkAddonUrl } from './addon-settings';
import { checkBooleans, checkProps } from '../core/check';
import { compact } from '../core/compact';
import { checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** An addon Kiali links to: its URL inside the cluster, and the one a browser opens (when exposed). */
export interface KialiLink {
  /** The URL Kiali's server calls. */
  readonly internalUrl: string;
  /** The URL of links Kiali shows users. @default none (Kiali shows no link) */
  readonly externalUrl?: string;
}

/** Settings of {@link Kiali}. */
export interface KialiProps {
  /** The namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** The image. @default 'quay.io/kiali/kiali:v2.27' (Istio's addon) */
  readonly image?: string;
  /** The Kiali release the image is, for the `version` labels. @default 'v2.27.0' */
  readonly version?: string;
  /** Prometheus' URL inside the cluster (Kiali's metrics and graph come from it). */
  readonly prometheusUrl: string;
  /** Grafana, for links to dashboards. @default none (no Grafana integration) */
  readonly grafana?: KialiLink;
  /** Jaeger's gRPC query API, for traces. @default none (no tracing integration) */
  readonly tracing?: KialiLink;
  /**
   * Refuse changes to Istio configuration from Kiali's UI (its wizards), so an anonymous user can only look.
   * @default true (upstream's sample: false)
   */
  readonly viewOnly?: boolean;
  /** The Istio root namespace. @default 'istio-system' */
  readonly istioNamespace?: string;
}

/**
 * Kiali as Istio's addon deploys it (samples/addons/kiali.yaml): a ServiceAccount, its
 * configuration (generated: anonymous access, Prometheus, Grafana and tracing URLs, no signing
 * key in a ConfigMap), the ClusterRole and binding, a Service on 20001 (UI) and 9090 (its own
 * metrics), and a Deployment that restarts when its configuration changes.
 */
export class Kiali extends Construct {
  /** The UI port. */
  public static readonly PORT = 20001;
  /** The port of Kiali's own metrics. */
  public static readonly METRICS_PORT = 9090;
  /** The name of its Service, ServiceAccount, ConfigMap and Deployment. */
  public readonly name = 'kiali';
  /** The namespace. */
  public readonly namespace: string;
  /** The labels its Service selects. */
  public readonly selector: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': 'kiali' };

  constructor(scope: Construct, id: string, props: KialiProps) {
    super(scope, id);
    checkProps(this, props, 'its Prometheus URL, e.g. { prometheusUrl: \'http://prometheus.istio-system:9090\' }');
    registerLibraryConstruct(this);
    checkBooleans(this, '', props, ['viewOnly']);
    checkAddonUrl(this, 'prometheusUrl', props.prometheusUrl);
    for (const field of ['grafana', 'tracing'] as const) {
      const linked = props[field];
      if (linked === undefined) continue;
      checkAddonUrl(this, `${field}.internalUrl`, linked.internalUrl);
      if (linked.externalUrl !== undefined) checkAddonUrl(this, `${field}.externalUrl`, linked.externalUrl);
    }
    if (props.istioNamespace !== undefined) checkNamespaceName(this, 'istioNamespace', props.istioNamespace);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    const k8s = kube();
    const { image } = addonImage(this, 'image', props.image, 'quay.io/kiali/kiali:v2.27');
    const version = props.version ?? 'v2.27.0';
    const labels = {
      'app': 'kiali',
      ...this.selector,
      'version': version,
      'app.kubernetes.io/version': version,
      'app.kubernetes.io/part-of': 'kiali',
    };
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const link = (l: KialiLink | undefined) => l && compact({ enabled: true, internal_url: l.internalUrl, external_url: l.externalUrl });
    const config = yamlText({
      auth: { strategy: 'anonymous' },
      deployment: {
        cluster_wide_access: true, instance_name: 'kiali', namespace: this.namespace, view_only_mode: props.viewOnly ?? true,
      },
      external_services: {
        custom_dashboards: { enabled: true },
        grafana: link(props.grafana) ?? { enabled: false },
        istio: { root_namespace: props.istioNamespace ?? 'istio-system' },
        prometheus: { url: props.prometheusUrl },
        tracing: props.tracing ? { ...link(props.tracing), provider: 'jaeger', use_grpc: true } : { enabled: false },
      },
      kiali_feature_flags: { validations: { ignore: ['KIA1301'] } },
      server: { observability: { metrics: { enabled: true, port: Kiali.METRICS_PORT } }, port: Kiali.PORT, web_root: '/kiali' },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });
    new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data: { 'config.yaml': config } });
    const read = ['get', 'list', 'watch'];
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: this.name, labels },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'endpoints', 'pods/log'], verbs: read },
        { apiGroups: [''], resources: ['namespaces', 'pods', 'replicationcontrollers', 'services'], verbs: [...read, 'patch'] },
        { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'post'] },
        {
          apiGroups: ['extensions', 'apps'],
          resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
          verbs: [...read,
            'patch'],
        },
        { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...read, 'patch'] },
        {
          apiGroups: [
            'networking.istio.io', 'security.istio.io', 'extensions.istio.io', 'telemetry.istio.io', 'gateway.networking.k8s.io',
            'inference.networking.k8s.io',
          ],
          resources: ['*'],
          verbs: [...read, 'create', 'delete', 'patch'],
        },
        { apiGroups: ['apps.openshift.io'], resources: ['deploymentconfigs'], verbs: [...read, 'patch'] },
        { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['get'] },
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['oauth.openshift.io'], resources: ['oauthclients'], resourceNames: [`kiali-${this.namespace}`], verbs: ['get'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: read },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: this.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
    new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        ports: [
          { name: 'http', appProtocol: 'http', protocol: 'TCP', port: Kiali.PORT },
          { name: 'http-metrics', appProtocol: 'http', protocol: 'TCP', port: Kiali.METRICS_PORT },
        ],
        selector: { ...this.selector },
      },
    });
    const probe = { scheme: 'HTTP', initialDelaySeconds: 5, periodSeconds: 30 };
    const env = (name: string, value: string) => ({ name, value });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...this.selector } },
        strategy: {
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(1) },
          type: 'RollingUpdate',
        },
        template: {
          metadata: {
            name: this.name,
            labels: { ...labels, ...NO_SIDECAR },
            annotations: {
              'checksum/config': checksum(config),
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(Kiali.METRICS_PORT),
              'prometheus.io/scheme': 'http',
              'kiali.io/dashboards': 'go,kiali',
              'proxy.istio.io/config': '{ "holdApplicationUntilProxyStarts": true }',
            },
          },
          spec: hardenedPod({
            serviceAccountName: this.name,
            containers: [{
              image,
              imagePullPolicy: 'IfNotPresent',
              name: 'kiali',
              command: ['/opt/kiali/kiali', '-config', '/kiali-configuration/config.yaml'],
              terminationMessagePolicy: 'FallbackToLogsOnError',
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                seccompProfile: { type: 'RuntimeDefault' },
                capabilities: { drop: ['ALL'] },
              },
              ports: [{ name: 'api-port', containerPort: Kiali.PORT }, { name: 'http-metrics', containerPort: Kiali.METRICS_PORT }],
              readinessProbe: httpProbe('/kiali/healthz', 'api-port', probe),
              livenessProbe: httpProbe('/kiali/healthz', 'api-port', probe),
              startupProbe: httpProbe('/kiali/healthz', 'api-port', {
                scheme: 'HTTP',
                failureThreshold: 6,
                initialDelaySeconds: 30,
                periodSeconds: 10,
              }),
              env: [
                { name: 'ACTIVE_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                env('LOG_LEVEL', 'info'), env('LOG_FORMAT', 'text'), env('LOG_TIME_FIELD_FORMAT', '2006-01-02T15:04:05Z07:00'),
                env('LOG_SAMPLER_RATE', '1'),
              ],
              volumeMounts: [
                { name: 'kiali-configuration', mountPath: '/kiali-configuration' },
                { name: 'kiali-cert', mountPath: '/kiali-cert' },
                { name: 'kiali-secret', mountPath: '/kiali-secret' },
                { name: 'kiali-cabundle', mountPath: '/kiali-cabundle' },
                {
                  name: 'kiali-multi-cluster-secret',
                  mountPath: '/kiali-remote-cluster-secrets/kiali-multi-cluster-secret',
                  readOnly: true,
                },
              ],
              resources: {
                limits: { memory: k8s.Quantity.fromString('1Gi') },
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('64Mi') },
              },
            }],
            volumes: [
              { name: 'kiali-configuration', configMap: { name: this.name } },
              { name: 'kiali-cert', secret: { secretName: `istio.${this.name}-service-account`, optional: true } },
              { name: 'kiali-secret', secret: { secretName: this.name, optional: true } },
              { name: 'kiali-cabundle', configMap: { name: `${this.name}-cabundle`, optional: true } },
              { name: 'kiali-multi-cluster-secret', secret: { secretName: 'kiali-multi-cluster-secret', optional: true } },
            ],
          }),
        },
      },
    });
  }
}
