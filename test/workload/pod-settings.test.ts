import { Duration } from 'cdk8s';
import { DEFAULT_REQUESTS, EnvValue, MeshService, MeshServiceProps, PortProtocol, Probe, VolumeSource } from '../../lib';
import { Doc, docsOf, expectMeshError, expectSchemaValid, findDoc, newChart } from '../support/constructs';

const IMAGE = 'registry.example.com/cart:1.0';
/** The default container security context (no port below 1024). */
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/** The documents of a `cart` service (gRPC port 7070) with `props` over one version v1. */
function cart(props: Partial<MeshServiceProps> = {}): Doc[] {
  const { chart } = newChart();
  new MeshService(chart, 'cart', { ports: [{ port: 7070, protocol: PortProtocol.GRPC }], versions: { v1: { image: IMAGE } }, ...props });
  const docs = docsOf(chart);
  expectSchemaValid(docs);
  return docs;
}

function pod(docs: Doc[], name = 'cart-v1'): any {
  return findDoc(docs, 'Deployment', name).spec.template.spec;
}

describe('pod settings', () => {
  test('every pod setting is written to the pod spec as Kubernetes spells it', () => {
    const spec = pod(cart({
      versions: {
        v1: {
          image: IMAGE,
          podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          terminationGracePeriod: Duration.seconds(5),
          automountServiceAccountToken: false,
          nodeSelector: { 'kubernetes.io/arch': 'arm64' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }],
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'cart' } } } }] } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }],
          priorityClassName: 'shop-critical',
          imagePullSecrets: ['registry-credentials'],
        },
      },
    }));
    expect(spec.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.terminationGracePeriodSeconds).toBe(5);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }]);
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
    // a spread constraint without a labelSelector spreads the version's own pods
    expect(spec.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { app: 'cart', version: 'v1' } },
    }]);
    expect(spec.priorityClassName).toBe('shop-critical');
    expect(spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
  });

  test('service-wide defaults apply to every version; a version overrides them, env, resources and nodeSelector merged by key', () => {
    const docs = cart({
      defaults: {
        env: { PORT: '7070', LOG_LEVEL: 'info' },
        requests: { cpu: '200m', memory: '64Mi' },
        limits: { memory: '128Mi' },
        readinessProbe: Probe.grpc(7070),
        terminationGracePeriod: Duration.seconds(5),
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        securityContext: { allowPrivilegeEscalation: false },
      },
      versions: {
        v1: { image: IMAGE },
        v2: {
          image: 'registry.example.com/cart:2.0',
          env: { LOG_LEVEL: 'debug' },
          requests: { cpu: '300m' },
          readinessProbe: Probe.grpc(7070, { period: Duration.seconds(2) }),
          terminationGracePeriod: Duration.seconds(20),
          nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        },
      },
    });
    const v1 = pod(docs);
    const v2 = pod(docs, 'cart-v2');
    expect(v1.containers[0].env).toEqual([{ name: 'PORT', value: '7070' }, { name: 'LOG_LEVEL', value: 'info' }]);
    expect(v2.containers[0].env).toEqual([{ name: 'PORT', value: '7070' }, { name: 'LOG_LEVEL', value: 'debug' }]);
    expect(v1.containers[0].resources).toEqual({ requests: { cpu: '200m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect(v2.containers[0].resources).toEqual({ requests: { cpu: '300m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect(v1.containers[0].readinessProbe).toEqual({ grpc: { port: 7070 } });
    expect(v2.containers[0].readinessProbe).toEqual({ grpc: { port: 7070 }, periodSeconds: 2 });
    expect([v1.terminationGracePeriodSeconds, v2.terminationGracePeriodSeconds]).toEqual([5, 20]);
    expect(v2.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
    expect(v2.containers[0].securityContext).toEqual(RESTRICTED_CONTAINER);
  });

  test.each<[string, Record<string, unknown>, string, ...string[]]>([
    ['a fractional grace period', { terminationGracePeriod: Duration.millis(500) }, 'versions.v1.terminationGracePeriod', 'whole number of seconds'],
    ['a negative runAsUser', { podSecurityContext: { runAsUser: -1 } }, 'versions.v1.podSecurityContext.runAsUser', 'is not a user or group id'],
    ['runAsNonRoot with user 0', { podSecurityContext: { runAsNonRoot: true, runAsUser: 0 } }, 'versions.v1.podSecurityContext.runAsUser',
      'cannot run as user 0'],
    ['an unknown seccomp type', { podSecurityContext: { seccompProfile: { type: 'Default' } } }, 'versions.v1.podSecurityContext.seccompProfile.type',
      'is not a seccomp profile type', 'RuntimeDefault'],
    ['Localhost seccomp without a profile', { podSecurityContext: { seccompProfile: { type: 'Localhost' } } },
      'versions.v1.podSecurityContext.seccompProfile.localhostProfile', 'required with type Localhost'],
    ['a priority class with capitals', { priorityClassName: 'High' }, 'versions.v1.priorityClassName', 'is not a valid DNS subdomain name'],
    ['a pull secret with a space', { imagePullSecrets: ['my secret'] }, 'versions.v1.imagePullSecrets[0]', 'is not a valid DNS subdomain name'],
    ['a bad node selector value', { nodeSelector: { zone: 'eu west' } }, 'versions.v1.nodeSelector.zone', 'is not a valid label value'],
    ['an Exists toleration with a value', { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, 'versions.v1.tolerations[0].value',
      'takes none'],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 30 }] },
      'versions.v1.tolerations[0].tolerationSeconds', 'only applies to the NoExecute effect'],
    ['a spread maxSkew of 0', { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      'versions.v1.topologySpreadConstraints[0].maxSkew', 'is not a positive integer'],
    ['a spread whenUnsatisfiable typo', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' }] },
      'versions.v1.topologySpreadConstraints[0].whenUnsatisfiable', 'use "DoNotSchedule" or "ScheduleAnyway"'],
  ])('%s is refused', (_name, settings, field, ...fragments) => {
    expectMeshError(() => cart({ versions: { v1: { image: IMAGE, ...settings } } }), 'test/cart', field, ...fragments);
  });

  test('a bad default is reported at the version it reaches', () => {
    expectMeshError(() => cart({ defaults: { priorityClassName: 'High' } }), 'test/cart', 'versions.v1.priorityClassName');
  });
});

describe('init and additional containers', () => {
  test('init containers run first, additional containers beside the main one, sharing volumes by name', () => {
    const spec = pod(cart({
      versions: {
        v1: {
          image: IMAGE,
          volumes: [{ name: 'data', mountPath: '/data' }, { name: 'config', mountPath: '/etc/cart', source: VolumeSource.configMap('cart'), readOnly: true }],
          initContainers: [{ name: 'migrate', image: 'registry.example.com/cart-migrate:1.0', args: ['up'], volumes: [{ name: 'data', mountPath: '/data' }] }],
          additionalContainers: [{
            name: 'log-shipper',
            image: 'registry.example.com/shipper:2.1',
            env: { TOKEN: EnvValue.fromSecret('shipper', 'token') },
            requests: { cpu: '10m', memory: '16Mi' },
            ports: [{ port: 2020, name: 'metrics' }],
            livenessProbe: Probe.httpGet('/healthz', 'metrics'),
            volumes: [{ name: 'data', mountPath: '/var/log/cart', readOnly: true }],
          }],
        },
      },
    }));
    expect(spec.initContainers).toEqual([{
      name: 'migrate',
      image: 'registry.example.com/cart-migrate:1.0',
      imagePullPolicy: 'IfNotPresent',
      args: ['up'],
      resources: { requests: DEFAULT_REQUESTS },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
      securityContext: RESTRICTED_CONTAINER,
    }]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['cart', 'log-shipper']);
    expect(spec.containers[1]).toEqual({
      name: 'log-shipper',
      image: 'registry.example.com/shipper:2.1',
      imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'shipper', key: 'token' } } }],
      ports: [{ containerPort: 2020, name: 'metrics' }],
      resources: { requests: { cpu: '10m', memory: '16Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 2020 } },
      volumeMounts: [{ name: 'data', mountPath: '/var/log/cart', readOnly: true }],
      securityContext: RESTRICTED_CONTAINER,
    });
    expect(spec.volumes).toEqual([{ name: 'data', emptyDir: {} }, { name: 'config', configMap: { name: 'cart' } }]);
  });

  test.each<[string, Record<string, unknown>, string, ...string[]]>([
    ['a container named like the main one', { additionalContainers: [{ name: 'cart', image: IMAGE }] }, 'versions.v1.additionalContainers[0].name',
      'names another container of the pod'],
    ['an init container named like an additional one',
      { initContainers: [{ name: 'x', image: IMAGE }], additionalContainers: [{ name: 'x', image: IMAGE }] },
      'versions.v1.additionalContainers[0].name', 'names another container'],
    ['a volume with two sources', {
      volumes: [{ name: 'data', mountPath: '/data' }],
      additionalContainers: [{ name: 'x', image: IMAGE, volumes: [{ name: 'data', mountPath: '/d', source: VolumeSource.secret('s') }] }],
    }, 'versions.v1.additionalContainers[0].volumes[0].source', 'from another source'],
    ['a port name too long', { additionalContainers: [{ name: 'x', image: IMAGE, ports: [{ port: 1, name: 'a-very-long-port-name' }] }] },
      'versions.v1.additionalContainers[0].ports[0].name', 'is not a container port name'],
    ['a probe on a port name of the main container', {
      additionalContainers: [{ name: 'x', image: IMAGE, readinessProbe: Probe.tcpSocket('grpc') }],
    }, 'versions.v1.additionalContainers[0].readinessProbe.port', '"grpc" is not the name of a port of this container'],
    ['a secret literal in an init container', { initContainers: [{ name: 'x', image: IMAGE, env: { DB_PASSWORD: 'hunter2' } }] },
      'versions.v1.initContainers[0].env.DB_PASSWORD', 'its name says it is a secret'],
  ])('%s is refused', (_name, settings, field, ...fragments) => {
    expectMeshError(() => cart({ versions: { v1: { image: IMAGE, ...settings } } }), 'test/cart', field, ...fragments);
  });
});
