import { Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { NO_SIDECAR, checksum, hardenedPod, httpProbe, kube, yamlText } from './addon-objects';
import { addonImage, checkAddonDuration, checkAddonUrl } from './addon-settings';
import { GrafanaDashboard, appDashboard, meshServicesOf } from './dashboards';
import { checkList, checkMember, checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkDnsLabel, checkNamespaceName } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** The organization role of anonymous Grafana users. */
export enum GrafanaRole {
  /** Read dashboards only. */
  VIEWER = 'Viewer',
  /** Also edit dashboards. */
  EDITOR = 'Editor',
  /** Everything, users and data sources included (upstream's sample). */
  ADMIN = 'Admin',
}

/** A data source Grafana provisions. */
export interface GrafanaDataSource {
  /** Its name in Grafana. */
  readonly name: string;
  /** The type. */
  readonly type: 'prometheus' | 'loki';
  /** Its URL inside the cluster (an http or https URL). */
  readonly url: string;
  /** The step of its queries, e.g. the scrape interval: a Prometheus duration such as `15s`. */
  readonly timeInterval: string;
}

/** Settings of {@link Grafana}. */
export interface GrafanaProps {
  /** The namespace. @default 'istio-system' */
  readonly namespace?: string;
  /** The image. @default 'docker.io/grafana/grafana:12.0.1' (Istio's addon) */
  readonly image?: string;
  /** The data sources; the first is the default one. @default none */
  readonly dataSources?: GrafanaDataSource[];
  /**
   * The role of anonymous users (there is no login form: the admin password would otherwise be the image's default).
   * @default GrafanaRole.VIEWER (upstream's sample: Admin)
   */
  readonly anonymousRole?: GrafanaRole;
}

/** The folders of dashboards, each a ConfigMap mounted into Grafana (upstream's two). */
const FOLDERS = { mesh: 'istio', apps: 'istio-services' } as const;
const DASHBOARD_MAPS = { mesh: 'istio-grafana-dashboards', apps: 'istio-services-grafana-dashboards' } as const;

/**
 * Grafana as Istio's addon deploys it (samples/addons/grafana.yaml): a ServiceAccount, its
 * configuration ConfigMap (grafana.ini, data sources, dashboard providers), a Service on 3000, a
 * Deployment, and two dashboard ConfigMaps, whose dashboards the library generates from the apps
 * added with `addAppDashboard()` (one per app, and a mesh dashboard of all their services) instead
 * of upstream's copied ones.
 */
export class Grafana extends Construct {
  /** The HTTP port. */
  public static readonly PORT = 3000;
  /** The name of its Service, ServiceAccount, ConfigMap and Deployment. */
  public readonly name = 'grafana';
  /** The namespace. */
  public readonly namespace: string;
  /** The labels its Service selects. */
  public readonly selector: Readonly<Record<string, string>> = {
    'app.kubernetes.io/name': 'grafana',
    'app.kubernetes.io/instance': 'grafana',
  };

  private readonly apps: { name: string; title: string; scope: IConstruct }[] = [];

  constructor(scope: Construct, id: string, props: GrafanaProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    this.namespace = checkNamespaceName(this, 'namespace', props.namespace ?? 'istio-system');
    const k8s = kube();
    const { image, versionLabel } = addonImage(this, 'image', props.image, 'docker.io/grafana/grafana:12.0.1');
    const labels = { ...this.selector, ...versionLabel };
    checkDataSources(this, props.dataSources);
    if (props.anonymousRole !== undefined) checkMember(this, 'anonymousRole', props.anonymousRole, GrafanaRole, 'GrafanaRole');
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const ini = [
      '[analytics]', 'check_for_updates = true', '[grafana_net]', 'url = https://grafana.net', '[log]', 'mode = console',
      '[paths]', 'data = /var/lib/grafana/', 'logs = /var/log/grafana', 'plugins = /var/lib/grafana/plugins',
      'provisioning = /etc/grafana/provisioning',
      '[server]', 'domain = \'\'', '',
    ].join('\n');
    const datasources = yamlText({
      apiVersion: 1,
      datasources: (props.dataSources ?? []).map((d, i) => ({
        access: 'proxy',
        editable: true,
        isDefault: i === 0,
        jsonData: { timeInterval: d.timeInterval },
        name: d.name,
        orgId: 1,
        type: d.type,
        url: d.url,
      })),
    });
    const providers = yamlText({
      apiVersion: 1,
      providers: (['mesh', 'apps'] as const).map(folder => ({
        disableDeletion: false,
        folder: 'istio',
        name: FOLDERS[folder],
        options: { path: `/var/lib/grafana/dashboards/${FOLDERS[folder]}` },
        orgId: 1,
        type: 'file',
      })),
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata, data: { 'grafana.ini': ini, 'datasources.yaml': datasources, 'dashboardproviders.yaml': providers },
    });
    new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        // appProtocol: the upstream port name says nothing Istio understands
        ports: [{
          name: 'service',
          appProtocol: 'http',
          port: Grafana.PORT,
          protocol: 'TCP',
          targetPort: k8s.IntOrString.fromNumber(Grafana.PORT),
        }],
        selector: { ...this.selector },
      },
    });
    const env = (name: string, value: string) => ({ name, value });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: 1,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...this.selector } },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            labels: { ...labels, ...NO_SIDECAR },
            annotations: { 'checksum/config': checksum(ini, datasources, providers), 'kubectl.kubernetes.io/default-container': 'grafana' },
          },
          spec: hardenedPod({
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            shareProcessNamespace: false,
            enableServiceLinks: true,
            containers: [{
              name: 'grafana',
              image,
              imagePullPolicy: 'IfNotPresent',
              volumeMounts: [
                { name: 'config', mountPath: '/etc/grafana/grafana.ini', subPath: 'grafana.ini' },
                { name: 'storage', mountPath: '/var/lib/grafana' },
                { name: 'dashboards-istio', mountPath: '/var/lib/grafana/dashboards/istio' },
                { name: 'dashboards-istio-services', mountPath: '/var/lib/grafana/dashboards/istio-services' },
                { name: 'config', mountPath: '/etc/grafana/provisioning/datasources/datasources.yaml', subPath: 'datasources.yaml' },
                {
                  name: 'config',
                  mountPath: '/etc/grafana/provisioning/dashboards/dashboardproviders.yaml',
                  subPath: 'dashboardproviders.yaml',
                },
              ],
              ports: [
                { name: 'grafana', containerPort: Grafana.PORT, protocol: 'TCP' },
                { name: 'gossip-tcp', containerPort: 9094, protocol: 'TCP' },
                { name: 'gossip-udp', containerPort: 9094, protocol: 'UDP' },
                { name: 'profiling', containerPort: 6060, protocol: 'TCP' },
              ],
              env: [
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                env('GF_PATHS_DATA', '/var/lib/grafana/'),
                env('GF_PATHS_LOGS', '/var/log/grafana'),
                env('GF_PATHS_PLUGINS', '/var/lib/grafana/plugins'),
                env('GF_PATHS_PROVISIONING', '/etc/grafana/provisioning'),
                env('GF_AUTH_ANONYMOUS_ENABLED', 'true'),
                env('GF_AUTH_ANONYMOUS_ORG_ROLE', props.anonymousRole ?? GrafanaRole.VIEWER),
                env('GF_AUTH_BASIC_ENABLED', 'false'),
                env('GF_AUTH_DISABLE_LOGIN_FORM', 'true'),
              ],
              livenessProbe: httpProbe('/api/health', Grafana.PORT, { failureThreshold: 10, initialDelaySeconds: 60, timeoutSeconds: 30 }),
              readinessProbe: httpProbe('/api/health', Grafana.PORT),
            }],
            volumes: [
              { name: 'config', configMap: { name: this.name } },
              { name: 'dashboards-istio', configMap: { name: DASHBOARD_MAPS.mesh } },
              { name: 'dashboards-istio-services', configMap: { name: DASHBOARD_MAPS.apps } },
              { name: 'storage', emptyDir: {} },
            ],
          }),
        },
      },
    });
    for (const folder of ['mesh', 'apps'] as const) {
      new k8s.KubeConfigMap(this, `${folder}-dashboards`, {
        metadata: { name: DASHBOARD_MAPS[folder], namespace: this.namespace },
        data: Lazy.any({ produce: () => Object.fromEntries(this.dashboards(folder).map(d => [d.file, `${JSON.stringify(d.model)}\n`])) }),
      });
    }
  }

  /** Its URL inside the cluster. */
  public get url(): string {
    return `http://${this.name}.${this.namespace}:${Grafana.PORT}`;
  }

  /**
   * Adds a dashboard of the app's (or chart's) MeshServices, generated from its model at
   * synthesis; `name` is its file and uid, e.g. `bookinfo`.
   */
  public addAppDashboard(name: string, app: IConstruct, title = `${name} services`): void {
    checkDnsLabel(this, 'addAppDashboard.name', name);
    if (name === 'mesh' || this.apps.some(a => a.name === name)) {
      throw new MeshConfigError(this, 'addAppDashboard.name', `"${name}" is already a dashboard`, 'give every app its own dashboard name');
    }
    this.apps.push({ name, title, scope: app });
  }

  /** The generated dashboards of a folder. */
  public dashboards(folder: 'mesh' | 'apps'): GrafanaDashboard[] {
    if (folder === 'apps') return this.apps.map(a => appDashboard(a.name, a.title, meshServicesOf(a.scope)));
    return this.apps.length === 0 ? [] : [appDashboard('mesh', 'Mesh services', this.apps.flatMap(a => meshServicesOf(a.scope)))];
  }
}

/**
 * Checks the data sources Grafana provisions: each with a name of its own (Grafana refuses a
 * provisioning file with two of one name), a known type, an http(s) URL and a duration as its step.
 */
function checkDataSources(scope: IConstruct, dataSources: readonly GrafanaDataSource[] | undefined): void {
  const names = new Set<string>();
  (checkList(scope, 'dataSources', dataSources) ?? []).forEach((source, i) => {
    const at = `dataSources[${i}]`;
    if (typeof source.name !== 'string' || source.name.trim() === '') {
      throw new MeshConfigError(scope, `${at}.name`, 'the data source has no name', 'name it, e.g. name: "Prometheus"');
    }
    if (names.has(source.name)) {
      throw new MeshConfigError(scope, `${at}.name`, `"${source.name}" is already a data source`, 'give every data source its own name');
    }
    names.add(source.name);
    if (source.type !== 'prometheus' && source.type !== 'loki') {
      throw new MeshConfigError(scope, `${at}.type`, `${JSON.stringify(source.type)} is not prometheus or loki`,
        'use type: "prometheus" or "loki"');
    }
    checkAddonUrl(scope, `${at}.url`, source.url);
    checkAddonDuration(scope, `${at}.timeInterval`, source.timeInterval);
  });
}
