/** One relabeling step of a scrape job (Prometheus' `relabel_configs` entry). */
export interface RelabelRule {
  /**
   * What the step does.
   * @default 'replace' (Prometheus')
   */
  readonly action?: 'keep' | 'drop' | 'replace' | 'labelmap';
  /** Labels whose values, joined by `;`, the regex reads. @default none */
  readonly sourceLabels?: string[];
  /** The RE2 regex. @default Prometheus' `(.*)` */
  readonly regex?: string;
  /** The label written. @default none */
  readonly targetLabel?: string;
  /** What is written, with `$1`-style groups. @default Prometheus' `$1` */
  readonly replacement?: string;
}

/** What a Kubernetes service discovery job finds. */
export type KubernetesRole = 'endpoints' | 'node' | 'pod' | 'service';

/** One scrape job of Prometheus' configuration. */
export interface ScrapeJob {
  /** The job name (the `job` label of its series). */
  readonly name: string;
  /** Targets found by Kubernetes service discovery. @default none */
  readonly kubernetesRole?: KubernetesRole;
  /** Fixed targets (`host:port`). @default none */
  readonly staticTargets?: string[];
  /** Keep the target's labels when they clash with Prometheus'. @default false */
  readonly honorLabels?: boolean;
  /** The path scraped. @default '/metrics' */
  readonly metricsPath?: string;
  /** URL parameters. @default none */
  readonly params?: Record<string, string[]>;
  /** `https` to scrape over TLS with the pod's service account CA and token. @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** With https: skip verifying the target's certificate (kubelets' self-signed ones). @default false */
  readonly insecureSkipVerify?: boolean;
  /** The relabeling steps. @default none */
  readonly relabel?: RelabelRule[];
  /** The scrape interval. @default the global one */
  readonly scrapeInterval?: string;
  /** The scrape timeout. @default the global one */
  readonly scrapeTimeout?: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The steps that turn `prometheus.io/*` annotations (of pods or Services) into the target's scheme, path, address and parameters. */
function annotationRules(kind: 'pod' | 'service', slow: boolean): RelabelRule[] {
  const annotation = (name: string) => `__meta_kubernetes_${kind}_annotation_prometheus_io_${name}`;
  const selection: RelabelRule[] = slow
    ? [{ action: 'keep', regex: 'true', sourceLabels: [annotation('scrape_slow')] }]
    : [{ action: 'keep', regex: 'true', sourceLabels: [annotation('scrape')] }, {
      action: 'drop',
      regex: 'true',
      sourceLabels: [annotation('scrape_slow')],
    }];
  const address: RelabelRule[] = kind === 'pod'
    ? [
      {
        action: 'replace',
        regex: '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})',
        replacement: '[$2]:$1',
        sourceLabels: [annotation('port'), '__meta_kubernetes_pod_ip'],
        targetLabel: '__address__',
      },
      {
        action: 'replace',
        regex: '(\\d+);((([0-9]+?)(\\.|$)){4})',
        replacement: '$2:$1',
        sourceLabels: [annotation('port'), '__meta_kubernetes_pod_ip'],
        targetLabel: '__address__',
      },
    ]
    : [{
      action: 'replace',
      regex: '(.+?)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      sourceLabels: ['__address__', annotation('port')],
      targetLabel: '__address__',
    }];
  const identity: RelabelRule[] = kind === 'pod'
    ? [
      { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      { action: 'drop', regex: 'Pending|Succeeded|Failed|Completed', sourceLabels: ['__meta_kubernetes_pod_phase'] },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
    ]
    : [
      { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'service' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
    ];
  return [
    ...selection,
    { action: 'replace', regex: '(https?)', sourceLabels: [annotation('scheme')], targetLabel: '__scheme__' },
    { action: 'replace', regex: '(.+)', sourceLabels: [annotation('path')], targetLabel: '__metrics_path__' },
    ...address,
    { action: 'labelmap', regex: `__meta_kubernetes_${kind}_annotation_prometheus_io_param_(.+)`, replacement: '__param_$1' },
    { action: 'labelmap', regex: `__meta_kubernetes_${kind}_label_(.+)` },
    ...identity,
  ];
}

const slowly = { scrapeInterval: '5m', scrapeTimeout: '30s' };

/** The scrape jobs of Istio's Prometheus addon (samples/addons/prometheus.yaml), as factories. */
export const ScrapeJobs = {
  /** The Kubernetes API servers (the `default/kubernetes` Service's https endpoints). */
  apiServers: (): ScrapeJob => ({
    name: 'kubernetes-api-servers',
    kubernetesRole: 'endpoints',
    scheme: 'https',
    relabel: [{
      action: 'keep',
      regex: 'default;kubernetes;https',
      sourceLabels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
    }],
  }),
  /** Every node's kubelet (`/metrics`), or its cAdvisor container metrics (`/metrics/cadvisor`). */
  nodes: (cadvisor = false): ScrapeJob => ({
    name: cadvisor ? 'kubernetes-nodes-cadvisor' : 'kubernetes-nodes',
    kubernetesRole: 'node',
    scheme: 'https',
    insecureSkipVerify: true,
    metricsPath: cadvisor ? '/metrics/cadvisor' : undefined,
    relabel: [
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
      ...cadvisor ? [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }] : [],
    ],
  }),
  /**
   * Pods annotated `prometheus.io/scrape: "true"` (`slow`: `prometheus.io/scrape_slow`, every 5m):
   * Istio's proxies, whose merged metrics (app and Envoy's `istio_*`) Istio annotates this way.
   */
  annotatedPods: (slow = false): ScrapeJob => ({
    name: slow ? 'kubernetes-pods-slow' : 'kubernetes-pods',
    kubernetesRole: 'pod',
    honorLabels: true,
    relabel: annotationRules('pod', slow),
    ...slow && slowly,
  }),
  /** Endpoints of Services annotated `prometheus.io/scrape: "true"` (`slow`: `prometheus.io/scrape_slow`). */
  annotatedServiceEndpoints: (slow = false): ScrapeJob => ({
    name: slow ? 'kubernetes-service-endpoints-slow' : 'kubernetes-service-endpoints',
    kubernetesRole: 'endpoints',
    honorLabels: true,
    relabel: annotationRules('service', slow),
    ...slow && slowly,
  }),
  /** Services annotated `prometheus.io/probe: "true"`, probed through a blackbox exporter at `blackbox`. */
  probedServices: (): ScrapeJob => ({
    name: 'kubernetes-services',
    kubernetesRole: 'service',
    honorLabels: true,
    metricsPath: '/probe',
    params: { module: ['http_2xx'] },
    relabel: [
      { action: 'keep', regex: 'true', sourceLabels: ['__meta_kubernetes_service_annotation_prometheus_io_probe'] },
      { sourceLabels: ['__address__'], targetLabel: '__param_target' },
      { replacement: 'blackbox', targetLabel: '__address__' },
      { sourceLabels: ['__param_target'], targetLabel: 'instance' },
      { action: 'labelmap', regex: '__meta_kubernetes_service_label_(.+)' },
      { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { sourceLabels: ['__meta_kubernetes_service_name'], targetLabel: 'service' },
    ],
  }),
  /** Prometheus itself. */
  self: (port: number): ScrapeJob => ({ name: 'prometheus', staticTargets: [`localhost:${port}`] }),
  /** A Pushgateway (Services annotated `prometheus.io/probe: pushgateway`). */
  pushgateway: (): ScrapeJob => ({
    name: 'prometheus-pushgateway',
    kubernetesRole: 'service',
    honorLabels: true,
    relabel: [{ action: 'keep', regex: 'pushgateway', sourceLabels: ['__meta_kubernetes_service_annotation_prometheus_io_probe'] }],
  }),
};

/** Istio's scrape jobs, in its order. */
export function defaultScrapeJobs(port: number): ScrapeJob[] {
  return [
    ScrapeJobs.apiServers(), ScrapeJobs.nodes(), ScrapeJobs.nodes(true), ScrapeJobs.annotatedPods(), ScrapeJobs.annotatedPods(true),
    ScrapeJobs.annotatedServiceEndpoints(), ScrapeJobs.annotatedServiceEndpoints(true), ScrapeJobs.probedServices(), ScrapeJobs.self(port),
    ScrapeJobs.pushgateway(),
  ];
}

/** A job as Prometheus' configuration writes it. */
export function renderScrapeJob(job: ScrapeJob): Record<string, unknown> {
  const https = job.scheme === 'https';
  const out: Record<string, unknown> = { job_name: job.name };
  if (https) out.bearer_token_file = `${SERVICE_ACCOUNT}/token`;
  if (job.honorLabels) out.honor_labels = true;
  if (job.kubernetesRole) out.kubernetes_sd_configs = [{ role: job.kubernetesRole }];
  if (job.metricsPath) out.metrics_path = job.metricsPath;
  if (job.params) out.params = structuredClone(job.params);
  if (job.relabel) {
    out.relabel_configs = job.relabel.map(r => Object.fromEntries(Object.entries({
      action: r.action,
      regex: r.regex,
      replacement: r.replacement,
      source_labels: r.sourceLabels && [...r.sourceLabels],
      target_label: r.targetLabel,
    }).filter(([, v]) => v !== undefined)));
  }
  if (https) {
    out.scheme = 'https';
    out.tls_config = { ca_file: `${SERVICE_ACCOUNT}/ca.crt`, ...job.insecureSkipVerify && { insecure_skip_verify: true } };
  }
  if (job.staticTargets) out.static_configs = [{ targets: [...job.staticTargets] }];
  if (job.scrapeInterval) out.scrape_interval = job.scrapeInterval;
  if (job.scrapeTimeout) out.scrape_timeout = job.scrapeTimeout;
  return out;
}
