import { Construct } from 'constructs';
import { NO_SIDECAR, hardenedPod, httpProbe, kube, yamlText } from './addon-objects';
import { addonImage, checkAddonDuration } from './addon-settings';
import { checkScrapeJobs } from './scrape-job-checks';
import { ScrapeJob, defaultScrapeJobs, renderScrapeJob } from './scrape-jobs';
import { checkList, checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** Settings of {@link Prometheus}. */
export interface PrometheusProps {
  /** The namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** The Prometheus image. @default 'docker.io/prom/prometheus:v3.10.0' (Istio's addon) */
  readonly image?: string;
  /** The configuration reloader image. @default 'ghcr.io/prometheus-operator/prometheus-config-reloader:v0.89.0' */
  readonly reloaderImage?: string;
  /** How often targets are scraped. @default '15s' */
  readonly scrapeInterval?: string;
  /** How long a scrape may take. @default '10s' */
  readonly scrapeTimeout?: string;
  /** How often rules are evaluated. @default '1m' */
  readonly evaluationInterval?: string;
  /** How long samples are kept (the data is in an emptyDir: it is lost with the pod). @default '15d' */
  readonly retention?: string;
  /** The scrape jobs. @default Istio's (API servers, nodes, cAdvisor, annotated pods and Services, probes, itself, Pushgateway) */
  readonly scrapeJobs?: ScrapeJob[];
}

/**
 * Prometheus as Istio's addon deploys it (samples/addons/prometheus.yaml): a ServiceAccount,
 * the ConfigMap of its configuration (generated from the scrape jobs), the ClusterRole to discover
 * targets, a Service on 9090 and a Deployment with the configuration reloader.
 */
export class Prometheus extends Construct {
  /** The HTTP port. */
  public static readonly PORT = 9090;
  /** The name of its Service, ServiceAccount, ConfigMap and Deployment. */
  public readonly name = 'prometheus';
  /** The namespace. */
  public readonly namespace: string;
  /** The labels its Service selects. */
  public readonly selector: Readonly<Record<string, string>> = {
    'app.kubernetes.io/component': 'server', 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus',
  };

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    const interval = checkAddonDuration(this, 'scrapeInterval', props.scrapeInterval ?? '15s');
    const timeout = checkAddonDuration(this, 'scrapeTimeout', props.scrapeTimeout ?? '10s');
    checkAddonDuration(this, 'evaluationInterval', props.evaluationInterval ?? '1m');
    checkAddonDuration(this, 'retention', props.retention ?? '15d');
    if (timeout > interval) {
      throw new MeshConfigError(this, 'scrapeTimeout',
        `${props.scrapeTimeout ?? '10s'} is longer than the scrape interval (${props.scrapeInterval ?? '15s'}), which Prometheus refuses`,
        'give a timeout no longer than the interval');
    }
    const jobs = checkList(this, 'scrapeJobs', props.scrapeJobs) ?? defaultScrapeJobs(Prometheus.PORT);
    checkScrapeJobs(this, jobs, { interval, timeout });
    const { image, versionLabel } = addonImage(this, 'image', props.image, 'docker.io/prom/prometheus:v3.10.0');
    const reloaderImage = addonImage(this, 'reloaderImage', props.reloaderImage,
      'ghcr.io/prometheus-operator/prometheus-config-reloader:v0.89.0').image;
    const k8s = kube();
    const labels = { ...this.selector, ...versionLabel, 'app.kubernetes.io/part-of': 'prometheus' };
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const config = {
      global: {
        evaluation_interval: props.evaluationInterval ?? '1m',
        scrape_interval: props.scrapeInterval ?? '15s',
        scrape_timeout: props.scrapeTimeout ?? '10s',
      },
      scrape_configs: jobs.map(renderScrapeJob),
      rule_files: ['/etc/config/recording_rules.yml', '/etc/config/alerting_rules.yml', '/etc/config/rules', '/etc/config/alerts'],
    };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });
    new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata,
      data: {
        'allow-snippet-annotations': 'false',
        'alerting_rules.yml': '{}\n',
        'alerts': '{}\n',
        'prometheus.yml': yamlText(config),
        'recording_rules.yml': '{}\n',
        'rules': '{}\n',
      },
    });
    const read = ['get', 'list', 'watch'];
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: this.name, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods', 'ingresses', 'configmaps'], verbs: read },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status', 'ingresses'], verbs: read },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: read },
        { nonResourceUrLs: ['/metrics'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: this.name, labels },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
    });
    new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        ports: [{ name: 'http', port: Prometheus.PORT, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(Prometheus.PORT) }],
        selector: { ...this.selector },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
    });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { ...this.selector } },
        replicas: 1,
        revisionHistoryLimit: 10,
        template: {
          metadata: { labels: { ...labels, ...NO_SIDECAR } },
          spec: hardenedPod({
            enableServiceLinks: true,
            serviceAccountName: this.name,
            containers: [
              {
                name: 'prometheus-server-configmap-reload',
                image: reloaderImage,
                imagePullPolicy: 'IfNotPresent',
                args: ['--watched-dir=/etc/config', '--listen-address=0.0.0.0:8080',
                  `--reload-url=http://127.0.0.1:${Prometheus.PORT}/-/reload`],
                ports: [{ containerPort: 8080, name: 'metrics' }],
                livenessProbe: httpProbe('/healthz', 'metrics', { scheme: 'HTTP', initialDelaySeconds: 2, periodSeconds: 10 }),
                readinessProbe: httpProbe('/healthz', 'metrics', { scheme: 'HTTP', periodSeconds: 10 }),
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config', readOnly: true }],
              },
              {
                name: 'prometheus-server',
                image,
                imagePullPolicy: 'IfNotPresent',
                args: [
                  `--storage.tsdb.retention.time=${props.retention ?? '15d'}`, '--config.file=/etc/config/prometheus.yml',
                  '--storage.tsdb.path=/data',
                  '--web.console.libraries=/etc/prometheus/console_libraries', '--web.console.templates=/etc/prometheus/consoles',
                  '--web.enable-lifecycle',
                ],
                ports: [{ containerPort: Prometheus.PORT }],
                readinessProbe: httpProbe('/-/ready', Prometheus.PORT,
                  {
                    scheme: 'HTTP',
                    initialDelaySeconds: 0,
                    periodSeconds: 5,
                    timeoutSeconds: 4,
                    failureThreshold: 3,
                    successThreshold: 1,
                  }),
                livenessProbe: httpProbe('/-/healthy', Prometheus.PORT,
                  {
                    scheme: 'HTTP',
                    initialDelaySeconds: 30,
                    periodSeconds: 15,
                    timeoutSeconds: 10,
                    failureThreshold: 3,
                    successThreshold: 1,
                  }),
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config' }, {
                  name: 'storage-volume',
                  mountPath: '/data',
                  subPath: '',
                }],
              },
            ],
            dnsPolicy: 'ClusterFirst',
            terminationGracePeriodSeconds: 300,
            volumes: [{ name: 'config-volume', configMap: { name: this.name } }, { name: 'storage-volume', emptyDir: {} }],
          }),
        },
      },
    });
  }

  /** Its URL inside the cluster. */
  public get url(): string {
    return `http://${this.name}.${this.namespace}:${Prometheus.PORT}`;
  }
}
