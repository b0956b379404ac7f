import { Construct } from 'constructs';
import { checksum, hardenedPod, httpProbe, kube, yamlText } from './addon-objects';
import { addonImage, checkAddonDuration } from './addon-settings';
import { checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkNamespaceName } from '../core/names';
import { isQuantity } from '../core/quantity';
import { registerLibraryConstruct } from '../core/registry';

/** Settings of {@link Loki}. */
export interface LokiProps {
  /** The namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** The image. @default 'docker.io/grafana/loki:3.6.7' (Istio's addon) */
  readonly image?: string;
  /** The rules sidecar image. @default 'docker.io/kiwigrid/k8s-sidecar:2.5.0' */
  readonly rulesSidecarImage?: string;
  /** The size of the volume claim holding the logs. @default '10Gi' */
  readonly storage?: string;
  /** Samples older than this are rejected. @default '168h' */
  readonly rejectOlderThan?: string;
}

const HTTP_PORT = 3100;
const GRPC_PORT = 9095;
const MEMBERLIST_PORT = 7946;

/**
 * Loki as Istio's addon deploys it (samples/addons/loki.yaml): single binary in a StatefulSet
 * with a 10Gi volume claim, its configuration (generated: filesystem storage, the Service names
 * of its namespace), the runtime configuration, the ClusterRole its rules sidecar needs, and the
 * Services `loki` (3100 HTTP, 9095 gRPC), `loki-headless` and `loki-memberlist`.
 */
export class Loki extends Construct {
  /** The name of its Service, ServiceAccount, ConfigMap and StatefulSet. */
  public readonly name = 'loki';
  /** The namespace. */
  public readonly namespace: string;
  /** The labels its Service selects. */
  public readonly selector: Readonly<Record<string, string>> = {
    'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki', 'app.kubernetes.io/component': 'single-binary',
  };

  constructor(scope: Construct, id: string, props: LokiProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    const storage = props.storage ?? '10Gi';
    if (!isQuantity(storage)) {
      throw new MeshConfigError(this, 'storage', `"${storage}" is not a Kubernetes quantity`,
        'use a size such as "10Gi"');
    }
    const k8s = kube();
    const { image, versionLabel } = addonImage(this, 'image', props.image, 'docker.io/grafana/loki:3.6.7');
    const rulesSidecarImage = addonImage(this, 'rulesSidecarImage', props.rulesSidecarImage, 'docker.io/kiwigrid/k8s-sidecar:2.5.0').image;
    const rejectOlderThan = props.rejectOlderThan ?? '168h';
    checkAddonDuration(this, 'rejectOlderThan', rejectOlderThan);
    const base = { 'app.kubernetes.io/name': 'loki', 'app.kubernetes.io/instance': 'loki' };
    const labels = { ...base, ...versionLabel };
    const meta = (name: string, extra: Record<string, string> = {}) => ({
      name,
      namespace: this.namespace,
      labels: {
        ...labels,
        ...extra,
      },
    });
    const service = (name: string) => `${name}.${this.namespace}.svc.cluster.local`;
    const config = `\n${yamlText({
      auth_enabled: false,
      bloom_build: { builder: { planner_address: '' }, enabled: false },
      bloom_gateway: { client: { addresses: '' }, enabled: false },
      common: {
        compactor_grpc_address: `${service(this.name)}:${GRPC_PORT}`,
        path_prefix: '/var/loki',
        replication_factor: 1,
        storage: { filesystem: { chunks_directory: '/var/loki/chunks', rules_directory: '/var/loki/rules' } },
      },
      frontend: { scheduler_address: '', tail_proxy_url: '' },
      frontend_worker: { scheduler_address: '' },
      index_gateway: { mode: 'simple' },
      limits_config: {
        max_cache_freshness_per_query: '10m',
        query_timeout: '300s',
        reject_old_samples: true,
        reject_old_samples_max_age: rejectOlderThan,
        split_queries_by_interval: '15m',
        volume_enabled: true,
      },
      memberlist: { join_members: [service(`${this.name}-memberlist`)] },
      pattern_ingester: { enabled: false },
      query_range: { align_queries_with_step: true },
      ruler: { storage: { type: 'local' }, wal: { dir: '/var/loki/ruler-wal' } },
      runtime_config: { file: '/etc/loki/runtime-config/runtime-config.yaml' },
      schema_config: {
        configs: [{
          from: '2024-04-01',
          index: { period: '24h', prefix: 'index_' },
          object_store: 'filesystem',
          schema: 'v13',
          store: 'tsdb',
        }],
      },
      server: {
        grpc_listen_port: GRPC_PORT,
        http_listen_port: HTTP_PORT,
        http_server_read_timeout: '600s',
        http_server_write_timeout: '600s',
      },
      storage_config: {
        bloom_shipper: { working_directory: '/var/loki/data/bloomshipper' },
        boltdb_shipper: { index_gateway_client: { server_address: '' } },
        hedging: { at: '250ms', max_per_second: 20, up_to: 3 },
        tsdb_shipper: { index_gateway_client: { server_address: '' } },
        use_thanos_objstore: false,
      },
      tracing: { enabled: false },
    })}`;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: meta(this.name), automountServiceAccountToken: true });
    new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: meta(this.name), data: { 'config.yaml': config } });
    new k8s.KubeConfigMap(this, 'RuntimeConfigMap', { metadata: meta(`${this.name}-runtime`), data: { 'runtime-config.yaml': '{}\n' } });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: `${this.name}-clusterrole`, labels },
      rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'watch', 'list'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: `${this.name}-clusterrolebinding`, labels },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
      roleRef: { kind: 'ClusterRole', name: `${this.name}-clusterrole`, apiGroup: 'rbac.authorization.k8s.io' },
    });
    const named = (name: string) => k8s.IntOrString.fromString(name);
    new k8s.KubeService(this, 'MemberlistService', {
      metadata: meta(`${this.name}-memberlist`),
      spec: {
        type: 'ClusterIP',
        clusterIp: 'None',
        ports: [{ name: 'tcp', port: MEMBERLIST_PORT, targetPort: named('http-memberlist'), protocol: 'TCP' }],
        selector: { ...base, 'app.kubernetes.io/part-of': 'memberlist' },
      },
    });
    new k8s.KubeService(this, 'HeadlessService', {
      metadata: meta(`${this.name}-headless`, { 'variant': 'headless', 'prometheus.io/service-monitor': 'false' }),
      spec: {
        clusterIp: 'None',
        ports: [{ name: 'http-metrics', port: HTTP_PORT, targetPort: named('http-metrics'), protocol: 'TCP' }],
        selector: { ...base },
      },
    });
    new k8s.KubeService(this, 'Service', {
      metadata: meta(this.name),
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'http-metrics', port: HTTP_PORT, targetPort: named('http-metrics'), protocol: 'TCP' },
          { name: 'grpc', port: GRPC_PORT, targetPort: named('grpc'), protocol: 'TCP' },
        ],
        selector: { ...this.selector },
      },
    });
    const readOnly = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true };
    const env = (name: string, value: string) => ({ name, value });
    const podLabels = { ...this.selector, 'app.kubernetes.io/part-of': 'memberlist' };
    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: meta(this.name, podLabels),
      spec: {
        replicas: 1,
        podManagementPolicy: 'Parallel',
        updateStrategy: { rollingUpdate: { partition: 0 } },
        serviceName: `${this.name}-headless`,
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
        selector: { matchLabels: { ...this.selector } },
        template: {
          metadata: {
            annotations: {
              'checksum/config': checksum(config),
              'storage/size': storage,
              'kubectl.kubernetes.io/default-container': 'loki',
            },
            labels: { ...podLabels },
          },
          spec: hardenedPod({
            serviceAccountName: this.name,
            automountServiceAccountToken: true,
            enableServiceLinks: true,
            securityContext: {
              fsGroup: 10001,
              fsGroupChangePolicy: 'OnRootMismatch',
              runAsGroup: 10001,
              runAsNonRoot: true,
              runAsUser: 10001,
            },
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'loki',
                image,
                imagePullPolicy: 'IfNotPresent',
                args: ['-config.file=/etc/loki/config/config.yaml', '-target=all'],
                ports: [
                  { name: 'http-metrics', containerPort: HTTP_PORT, protocol: 'TCP' },
                  { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
                  { name: 'http-memberlist', containerPort: MEMBERLIST_PORT, protocol: 'TCP' },
                ],
                securityContext: readOnly,
                readinessProbe: httpProbe('/ready', 'http-metrics', {
                  failureThreshold: 3,
                  initialDelaySeconds: 15,
                  periodSeconds: 10,
                  successThreshold: 1,
                  timeoutSeconds: 1,
                }),
                volumeMounts: [
                  { name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/loki/config' },
                  { name: 'runtime-config', mountPath: '/etc/loki/runtime-config' }, { name: 'storage', mountPath: '/var/loki' },
                  { name: 'sc-rules-volume', mountPath: '/rules' },
                ],
              },
              {
                name: 'loki-sc-rules',
                image: rulesSidecarImage,
                imagePullPolicy: 'IfNotPresent',
                env: [
                  env('METHOD', 'WATCH'), env('LABEL', 'loki_rule'), env('FOLDER', '/rules'), env('RESOURCE', 'both'),
                  env('WATCH_SERVER_TIMEOUT', '60'), env('WATCH_CLIENT_TIMEOUT', '60'), env('LOG_LEVEL', 'INFO'),
                ],
                securityContext: readOnly,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'sc-rules-volume', mountPath: '/rules' }],
              },
            ],
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                  labelSelector: { matchLabels: { ...this.selector } },
                  topologyKey: 'kubernetes.io/hostname',
                }],
              },
            },
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'config', configMap: { name: this.name, items: [{ key: 'config.yaml', path: 'config.yaml' }] } },
              { name: 'runtime-config', configMap: { name: `${this.name}-runtime` } },
              { name: 'sc-rules-volume', emptyDir: {} },
            ],
          }),
        },
        volumeClaimTemplates: [{
          metadata: { name: 'storage' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString(storage) } } },
        }],
      },
    });
  }

  /** Its HTTP URL inside the cluster. */
  public get url(): string {
    return `http://${this.name}.${this.namespace}:${HTTP_PORT}`;
  }
}
