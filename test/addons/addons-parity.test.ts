import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ObservabilityAddons } from '../../lib';
import { keyOf, readReference, testNeeding } from '../support/reference';

/**
 * Structural parity of ObservabilityAddons with Istio's samples/addons/: the same kinds and names,
 * and for each resource the same images, commands and arguments, ports, probes, selectors, RBAC
 * rules, volumes and mounts, ConfigMap keys; Prometheus' and Jaeger's and Loki's configurations
 * (generated from typed settings) equal upstream's once parsed. The intentional differences, and
 * only these:
 * - no `helm.sh/chart` labels (nothing here is installed by Helm);
 * - the library's container hardening where upstream sets none (no privilege escalation, every
 *   capability dropped, RuntimeDefault seccomp), masked by `structure()`;
 * - `appProtocol` on the ports whose upstream names Istio cannot classify (Grafana's `service`,
 *   Jaeger's `jaeger-collector-http`/`-grpc`);
 * - Grafana: no admin user and password in the environment (a secret value), no login form,
 *   anonymous users as Viewer instead of Admin; its two dashboard ConfigMaps hold the dashboards
 *   the library generates, not upstream's;
 * - Kiali: its configuration is generated (anonymous, view only, the Prometheus, Grafana and
 *   Jaeger URLs, no login signing key in a ConfigMap);
 * - `checksum/config` annotations hash the generated configuration.
 */
const ADDONS = 'istio/samples/addons';
const FILES = ['prometheus.yaml', 'grafana.yaml', 'jaeger.yaml', 'kiali.yaml', 'loki.yaml'];
const parityTest = testNeeding(`reference/${ADDONS}`);

/** Our addons chart, synthesized. */
function ours(): Record<string, any>[] {
  const chart = new Chart(new App(), 'addons');
  new ObservabilityAddons(chart, 'addons');
  return Testing.synth(chart);
}

const byName = <T extends { name?: string }>(list: T[] | undefined) => [...list ?? []].sort((a,
  b) => String(a.name).localeCompare(String(b.name)));
const byPath = (list: { mountPath: string }[] | undefined) => [...list ?? []].sort((a, b) => a.mountPath.localeCompare(b.mountPath));

/** What a container must share with upstream's. */
function container(c: Record<string, any>): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    ports: c.ports,
    readinessProbe: c.readinessProbe,
    livenessProbe: c.livenessProbe,
    startupProbe: c.startupProbe,
    volumeMounts: byPath(c.volumeMounts),
    resources: c.resources && Object.keys(c.resources).length > 0 ? c.resources : undefined,
  };
}

/** The structure parity compares: kinds, names, images, ports, probes, selectors, RBAC rules, volumes, ConfigMap keys. */
function structure(doc: Record<string, any>): Record<string, unknown> {
  const pod = doc.spec?.template?.spec;
  return JSON.parse(JSON.stringify({
    kind: doc.kind,
    apiVersion: doc.apiVersion,
    name: doc.metadata.name,
    namespace: doc.metadata.namespace,
    selector: doc.kind === 'Service' ? doc.spec.selector : doc.spec?.selector?.matchLabels,
    serviceType: doc.kind === 'Service' ? doc.spec.type ?? 'ClusterIP' : undefined,
    clusterIP: doc.spec?.clusterIP,
    ports: doc.kind === 'Service' ? doc.spec.ports.map(({ appProtocol, ...p }: Record<string, unknown>) => ({
      protocol: 'TCP',
      ...p,
    })) : undefined,
    rules: doc.rules,
    roleRef: doc.roleRef,
    subjects: doc.subjects,
    podLabels: doc.spec?.template?.metadata?.labels && Object.fromEntries(Object.entries(doc.spec.template.metadata.labels).filter(([k]) => k !== 'helm.sh/chart')),
    serviceAccountName: pod?.serviceAccountName,
    containers: pod?.containers.map(container),
    volumes: byName(pod?.volumes),
    volumeClaims: doc.spec?.volumeClaimTemplates?.map((t: any) => ({ name: t.metadata.name, spec: t.spec })),
    dataKeys: doc.kind === 'ConfigMap' ? Object.keys(doc.data ?? {}).sort() : undefined,
  }));
}

/** `[Kind/name, upstream file]` of every upstream resource, in upstream order. */
const CASES: [string, string][] = [
  ['ServiceAccount/prometheus', 'prometheus.yaml'], ['ConfigMap/prometheus', 'prometheus.yaml'], ['ClusterRole/prometheus',
    'prometheus.yaml'],
  ['ClusterRoleBinding/prometheus', 'prometheus.yaml'], ['Service/prometheus', 'prometheus.yaml'], ['Deployment/prometheus',
    'prometheus.yaml'],
  ['ServiceAccount/grafana', 'grafana.yaml'], ['ConfigMap/grafana', 'grafana.yaml'], ['Service/grafana', 'grafana.yaml'],
  ['Deployment/grafana', 'grafana.yaml'],
  ['ConfigMap/istio-grafana-dashboards', 'grafana.yaml'], ['ConfigMap/istio-services-grafana-dashboards', 'grafana.yaml'],
  ['Deployment/jaeger', 'jaeger.yaml'], ['Service/tracing', 'jaeger.yaml'], ['ConfigMap/jaeger', 'jaeger.yaml'], ['Service/zipkin',
    'jaeger.yaml'],
  ['Service/jaeger-collector', 'jaeger.yaml'],
  ['ServiceAccount/kiali', 'kiali.yaml'], ['ConfigMap/kiali', 'kiali.yaml'], ['ClusterRole/kiali', 'kiali.yaml'],
  ['ClusterRoleBinding/kiali', 'kiali.yaml'],
  ['Service/kiali', 'kiali.yaml'], ['Deployment/kiali', 'kiali.yaml'],
  ['ServiceAccount/loki', 'loki.yaml'], ['ConfigMap/loki', 'loki.yaml'], ['ConfigMap/loki-runtime', 'loki.yaml'],
  ['ClusterRole/loki-clusterrole', 'loki.yaml'],
  ['ClusterRoleBinding/loki-clusterrolebinding', 'loki.yaml'], ['Service/loki-memberlist', 'loki.yaml'], ['Service/loki-headless',
    'loki.yaml'],
  ['Service/loki', 'loki.yaml'], ['StatefulSet/loki', 'loki.yaml'],
];

describe('observability addons parity with ../shared/reference/istio/samples/addons', () => {
  const synthesized = ours();
  const find = (key: string) => synthesized.find(d => keyOf(d) === key)!;
  const upstream = () => FILES.flatMap(f => readReference(`${ADDONS}/${f}`).map(d => [d, f] as const));
  const upstreamDoc = (key: string) => upstream().find(([d]) => keyOf(d) === key)![0];

  parityTest('the resources are upstream\'s, no more, no fewer', () => {
    expect(upstream().map(([d, f]) => [keyOf(d), f])).toEqual(CASES);
    expect(synthesized.map(keyOf).sort()).toEqual(CASES.map(([k]) => k).sort());
  });

  test('every resource is in istio-system, but the cluster-wide RBAC objects', () => {
    for (const doc of synthesized) {
      expect([keyOf(doc), doc.metadata.namespace]).toEqual([keyOf(doc), doc.kind.startsWith('Cluster') ? undefined : 'istio-system']);
    }
  });

  parityTest.each(CASES.map(([key]) => [key]))('%s has upstream\'s structure', (key) => {
    const mine = structure(find(key));
    const theirs = structure(upstreamDoc(key));
    if (key.endsWith('-grafana-dashboards')) {
      // the library's dashboards, not upstream's (see the next suite)
      delete mine.dataKeys;
      delete theirs.dataKeys;
    }
    expect(mine).toEqual(theirs);
  });

  parityTest('Prometheus\' configuration, generated from the typed scrape jobs, equals upstream\'s', () => {
    // upstream writes `regex: true` unquoted, a YAML boolean Prometheus reads into its string field as "true"
    const regexAsString = (text: string) => JSON.parse(JSON.stringify(yaml.load(text), (k,
      v) => (k === 'regex' && typeof v === 'boolean' ? String(v) : v)));
    expect(regexAsString(find('ConfigMap/prometheus').data['prometheus.yml'])).toEqual(regexAsString(upstreamDoc('ConfigMap/prometheus').data['prometheus.yml']));
    const { 'prometheus.yml': _p, ...rest } = find('ConfigMap/prometheus').data;
    const { 'prometheus.yml': _u, ...upstreamRest } = upstreamDoc('ConfigMap/prometheus').data;
    expect(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, yaml.load(v as string)])))
      .toEqual(Object.fromEntries(Object.entries(upstreamRest).map(([k, v]) => [k, yaml.load(v as string)])));
  });

  parityTest.each([['ConfigMap/jaeger', 'config.yaml'], ['ConfigMap/loki', 'config.yaml'], ['ConfigMap/loki-runtime',
    'runtime-config.yaml']])(
    '%s: the generated %s equals upstream\'s', (key, file) => {
      expect(yaml.load(find(key).data[file])).toEqual(yaml.load(upstreamDoc(key).data[file]));
    });

  parityTest('Grafana: upstream\'s configuration files, with data sources pointing at our Prometheus and Loki', () => {
    const mine = find('ConfigMap/grafana').data;
    const theirs = upstreamDoc('ConfigMap/grafana').data;
    expect(mine['grafana.ini']).toBe(theirs['grafana.ini']);
    expect(yaml.load(mine['dashboardproviders.yaml'])).toEqual(yaml.load(theirs['dashboardproviders.yaml']));
    const sources = (text: string) => (yaml.load(text) as any).datasources.map((d: any) => ({
      ...d,
      url: d.url.replace(/\.istio-system(?=:)/, ''),
    }));
    expect(sources(mine['datasources.yaml'])).toEqual(sources(theirs['datasources.yaml']));
  });

  test('appProtocol where the upstream port names say nothing Istio understands', () => {
    const protocols = (key: string) => find(key).spec.ports.map((p: any) => [p.name, p.appProtocol]);
    expect(protocols('Service/grafana')).toEqual([['service', 'http']]);
    expect(protocols('Service/jaeger-collector').slice(0, 2)).toEqual([['jaeger-collector-http', 'http'], ['jaeger-collector-grpc', 'grpc']]);
  });

  test('Grafana\'s environment: no admin credentials, no login form, anonymous viewers', () => {
    const env = find('Deployment/grafana').spec.template.spec.containers[0].env;
    const values = Object.fromEntries(env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(values).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'true',
      GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer',
      GF_AUTH_BASIC_ENABLED: 'false',
      GF_AUTH_DISABLE_LOGIN_FORM: 'true',
    });
    expect(Object.keys(values).filter(k => k.startsWith('GF_SECURITY_'))).toEqual([]);
  });

  test('Kiali\'s generated configuration: anonymous and view only, with the URLs of Prometheus, Grafana and Jaeger\'s gRPC query, no signing key', () => {
    const config = yaml.load(find('ConfigMap/kiali').data['config.yaml']) as any;
    expect(config).toEqual({
      auth: { strategy: 'anonymous' },
      deployment: { cluster_wide_access: true, instance_name: 'kiali', namespace: 'istio-system', view_only_mode: true },
      external_services: {
        custom_dashboards: { enabled: true },
        grafana: { enabled: true, internal_url: 'http://grafana.istio-system:3000' },
        istio: { root_namespace: 'istio-system' },
        prometheus: { url: 'http://prometheus.istio-system:9090' },
        tracing: { enabled: true, internal_url: 'http://tracing.istio-system:16685/jaeger', provider: 'jaeger', use_grpc: true },
      },
      kiali_feature_flags: { validations: { ignore: ['KIA1301'] } },
      server: { observability: { metrics: { enabled: true, port: 9090 } }, port: 20001, web_root: '/kiali' },
    });
  });

  test('the hardening the library adds: every container without privilege escalation and capabilities, every pod RuntimeDefault', () => {
    for (const doc of synthesized.filter(d => d.spec?.template?.spec)) {
      const pod = doc.spec.template.spec;
      expect([keyOf(doc), pod.securityContext.seccompProfile]).toEqual([keyOf(doc), { type: 'RuntimeDefault' }]);
      for (const c of pod.containers) {
        expect([c.name, c.securityContext.allowPrivilegeEscalation, c.securityContext.capabilities]).toEqual([c.name, false,
          { drop: ['ALL'] }]);
      }
    }
  });
});
