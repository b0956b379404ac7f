import { Chart, Testing } from 'cdk8s';
import {
  AccessLogEncoding, ExtensionProvider, GatewayServiceType, InstallProfile, MeshInstall, MeshInstallProps, OutboundTrafficPolicy,
  PROFILE_BASELINES,
} from '../../lib';
import { readReference, testNeeding } from '../support/reference';
import { testApp } from '../support/temporary-folders';

/**
 * The install against upstream's IstioOperator material: the profile table against
 * manifests/profiles/*.yaml (each overlaid on default.yaml, as istioctl does), the structure of the
 * files MeshInstall writes against the profiles' own structure and the IstioOperator fields the
 * construct writes (the IstioOperator kind has no CRD to validate against), and the Loki sample's
 * extension provider (samples/open-telemetry/loki/iop.yaml) field for field.
 */
const PROFILES = 'istio/manifests/profiles';
const profileTest = testNeeding(`reference/${PROFILES}`);
const lokiTest = testNeeding('reference/istio/samples/open-telemetry/loki/iop.yaml');

/** The spec of a profile file. */
const profile = (name: string): Record<string, any> => readReference(`${PROFILES}/${name}.yaml`)[0].spec;

/** Whether the named gateway of a list is enabled in `spec` overlaid on default.yaml. */
function enabled(spec: Record<string, any>, list: 'ingressGateways' | 'egressGateways', name: string): boolean {
  const find = (s: Record<string, any>) => (s.components?.[list] ?? []).find((g: any) => g.name === name)?.enabled;
  return find(spec) ?? find(profile('default')) ?? false;
}

/** Every key path of a JSON value, lists written `[]`: `components.ingressGateways[].name`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap(v => keyPaths(v, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * The IstioOperator API fields (install.istio.io/v1alpha1, istio/api operator/v1alpha1) the
 * construct writes beyond those the profiles show, by their path in `spec`; `meshConfig` is
 * Istio's MeshConfig (istio/api mesh/v1alpha1), `values` the charts' values.
 */
const WRITTEN_FIELDS = [
  'profile', 'hub', 'tag',
  ...['ingressGateways', 'egressGateways'].flatMap(list => [
    'name', 'enabled', 'namespace', 'label.app', 'label.istio', 'k8s.replicaCount', 'k8s.hpaSpec.minReplicas', 'k8s.hpaSpec.maxReplicas',
    'k8s.resources.requests.cpu', 'k8s.resources.requests.memory', 'k8s.resources.limits.cpu', 'k8s.resources.limits.memory',
    'k8s.service.type',
    'k8s.service.ports[].name', 'k8s.service.ports[].port', 'k8s.service.ports[].protocol', 'k8s.service.ports[].targetPort',
    'k8s.service.ports[].nodePort', 'k8s.serviceAnnotations.service.beta.kubernetes.io/aws-load-balancer-type',
  ].map(f => `components.${list}[].${f}`)),
  'meshConfig.accessLogFile', 'meshConfig.accessLogEncoding', 'meshConfig.accessLogFormat',
  'meshConfig.defaultConfig.holdApplicationUntilProxyStarts',
  'meshConfig.defaultConfig.tracing.sampling', 'meshConfig.extensionProviders[].name', 'meshConfig.extensionProviders[].zipkin.service',
  'meshConfig.extensionProviders[].zipkin.port', 'meshConfig.extensionProviders[].opentelemetry.service',
  'meshConfig.extensionProviders[].opentelemetry.port',
  'meshConfig.extensionProviders[].skywalking.service', 'meshConfig.extensionProviders[].skywalking.port',
  'meshConfig.extensionProviders[].envoyOtelAls.service', 'meshConfig.extensionProviders[].envoyOtelAls.port',
  'meshConfig.extensionProviders[].envoyOtelAls.logFormat.labels.pod', 'meshConfig.extensionProviders[].envoyFileAccessLog.path',
  'meshConfig.extensionProviders[].envoyFileAccessLog.logFormat.text', 'meshConfig.defaultProviders.tracing[]',
  'meshConfig.defaultProviders.accessLogging[]',
  'meshConfig.outboundTrafficPolicy.mode', 'values.global.hub', 'values.global.tag', 'values.global.proxy.resources.requests.cpu',
];

/** A gateway with every setting but autoscaling. */
const FULL_GATEWAY = {
  serviceType: GatewayServiceType.LOAD_BALANCER,
  replicas: 2,
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
  serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
  ports: [{ name: 'status-port', port: 15021 }, { name: 'http2', port: 80, nodePort: 31080 }],
};

/** An install setting every field the construct writes. */
const EVERYTHING: MeshInstallProps = {
  profile: InstallProfile.DEMO,
  hub: 'registry.example.com/istio',
  tag: '1.30.0',
  ingressGateways: [{ name: 'istio-ingressgateway', ...FULL_GATEWAY }, {
    name: 'ingress-autoscaled',
    autoscaling: {
      minReplicas: 1,
      maxReplicas: 3,
    },
  }],
  egressGateways: [{ name: 'egress', ...FULL_GATEWAY, ports: [{ name: 'http2', port: 80, nodePort: 31081 }] },
    { name: 'istio-egressgateway', enabled: false }],
  meshConfig: {
    accessLogFile: '/dev/stdout',
    accessLogEncoding: AccessLogEncoding.TEXT,
    accessLogFormat: '[%START_TIME%] %RESPONSE_CODE%\n',
    tracingSampling: 1,
    extensionProviders: [
      ExtensionProvider.zipkin('zipkin', { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 }),
      ExtensionProvider.openTelemetryTracing('otel-tracing', { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 }),
      ExtensionProvider.otelAccessLog('otel', {
        service: 'otel.istio-system.svc.cluster.local',
        port: 4317,
        labels: { pod: '%ENVIRONMENT(POD_NAME)%' },
      }),
      ExtensionProvider.fileAccessLog('file', '/dev/stdout', '%RESPONSE_CODE%\n'),
    ],
    defaultProviders: { tracing: ['otel-tracing'], accessLogging: ['envoy'] },
    outboundTrafficPolicy: OutboundTrafficPolicy.REGISTRY_ONLY,
  },
  sidecarProxy: { holdApplicationUntilProxyStarts: true, resources: { requests: { cpu: '50m' } } },
};

function written(props: MeshInstallProps): Record<string, any> {
  const chart = new Chart(testApp(), 'install');
  new MeshInstall(chart, 'istio', props);
  return Testing.synth(chart)[0];
}

describe('MeshInstall against upstream\'s profiles and IstioOperator samples', () => {
  profileTest.each(Object.values(InstallProfile))('the %s profile installs what PROFILE_BASELINES says', (name) => {
    const spec = profile(name);
    const ambient = spec.components?.cni?.enabled === true && spec.components?.ztunnel?.enabled === true;
    expect({
      ingressGateway: enabled(spec, 'ingressGateways', 'istio-ingressgateway'),
      egressGateway: enabled(spec, 'egressGateways', 'istio-egressgateway'),
      ambient,
      ...spec.values?.profile !== undefined && { valuesProfile: spec.values.profile },
    }).toEqual(PROFILE_BASELINES[name as InstallProfile]);
  });

  profileTest('the file keeps the profiles\' shape: apiVersion, kind, and the same paths for what they set', () => {
    const doc = written(EVERYTHING);
    const upstream = readReference(`${PROFILES}/default.yaml`)[0];
    expect([doc.apiVersion, doc.kind, doc.metadata.namespace]).toEqual([upstream.apiVersion, upstream.kind, upstream.metadata.namespace]);
    const profilePaths = new Set(Object.values(InstallProfile).flatMap(p => keyPaths(profile(p))));
    for (const p of ['components.ingressGateways[].name', 'components.ingressGateways[].enabled', 'components.egressGateways[].name',
      'tag', 'hub']) {
      expect(profilePaths).toContain(p);
    }
  });

  test('every field the construct writes is a field of the IstioOperator API it is listed under', () => {
    const paths = keyPaths(written(EVERYTHING).spec);
    expect(paths.filter(p => !WRITTEN_FIELDS.includes(p))).toEqual([]);
    // and the list holds nothing the construct does not write
    expect(WRITTEN_FIELDS.filter(f => !paths.includes(f))).toEqual([]);
  });

  lokiTest('the Loki sample\'s access-log provider: ExtensionProvider.otelAccessLog renders iop.yaml\'s meshConfig', () => {
    const upstream = readReference('istio/samples/open-telemetry/loki/iop.yaml')[0];
    const ours = written({
      meshConfig: {
        extensionProviders: [ExtensionProvider.otelAccessLog('otel', {
          service: 'opentelemetry-collector.istio-system.svc.cluster.local',
          port: 4317,
          labels: {
            pod: '%ENVIRONMENT(POD_NAME)%',
            namespace: '%ENVIRONMENT(POD_NAMESPACE)%',
            cluster: '%ENVIRONMENT(ISTIO_META_CLUSTER_ID)%',
            mesh: '%ENVIRONMENT(ISTIO_META_MESH_ID)%',
          },
        })],
      },
    });
    expect(ours.spec.meshConfig).toEqual(upstream.spec.meshConfig);
    expect([ours.apiVersion, ours.kind]).toEqual([upstream.apiVersion, upstream.kind]);
  });
});
