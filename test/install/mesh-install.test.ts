import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  AccessLogEncoding, AuthorizationPolicy, Caller, ExtensionProvider, Gateway, GatewayProtocol, GatewayServiceType, IngressNodePort,
  InstallProfile, MeshEnrollment,
  MeshInstall, MeshInstallProps, MeshService,
  MeshNamespace, OutboundTrafficPolicy, Waypoint, writeInstall,
} from '../../lib';
import { testApp } from '../support/temporary-folders';

/** The IstioOperator a MeshInstall of these props writes. */
function operator(props: MeshInstallProps): Record<string, any> {
  const chart = new Chart(testApp(), 'install');
  new MeshInstall(chart, 'istio', props);
  const docs = Testing.synth(chart);
  expect(docs).toHaveLength(1);
  return docs[0];
}

/** The error a MeshInstall of these props throws. */
function refusal(props: MeshInstallProps): string {
  expect(() => new MeshInstall(new Chart(testApp(), 'install'), 'istio', props)).toThrow();
  try {
    new MeshInstall(new Chart(testApp(), 'install'), 'istio', props);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

/** A chart with an Istio Gateway of this selector on port 80. */
function appWithGateway(selector?: Record<string, string>): Chart {
  const app = new Chart(testApp(), 'shop', { namespace: 'shop' });
  new MeshNamespace(app, 'shop');
  new Gateway(app, 'shop-gateway', { selector, servers: [{ port: 80, protocol: GatewayProtocol.HTTP, hosts: ['shop.example.com'] }] });
  return app;
}

/** The synthesis problems of an install serving `target` (an empty list when it synthesizes). */
function servedProblems(props: MeshInstallProps, target: Chart): string[] {
  const chart = new Chart(testApp(), 'install');
  new MeshInstall(chart, 'istio', { ...props, serves: [target] });
  try {
    Testing.synth(chart);
    return [];
  } catch (e) {
    // cdk8s reports the validation errors one per line, each after the path of the validating construct
    return (e as Error).message.split('\n').slice(1).map(line => line.replace(/^\s*\[install\/istio\] /, ''));
  }
}

describe('MeshInstall: the IstioOperator file', () => {
  test('a profile alone writes only the profile: istioctl overlays it on default', () => {
    expect(operator({ profile: InstallProfile.DEMO })).toEqual({
      apiVersion: 'install.istio.io/v1alpha1',
      kind: 'IstioOperator',
      metadata: { name: 'istio', namespace: 'istio-system' },
      spec: { profile: 'demo' },
    });
    expect(operator({}).spec).toEqual({ profile: 'default' });
  });

  test('the tutorial\'s minimal profile with a NodePort ingress gateway: labels, Service type, ports with node ports and target ports',
    () => {
      const spec = operator({
        profile: InstallProfile.MINIMAL,
        ingressGateways: [{
          name: 'istio-ingressgateway',
          serviceType: GatewayServiceType.NODE_PORT,
          replicas: 2,
          resources: { requests: { cpu: '200m', memory: '256Mi' } },
          ports: [{ name: 'status-port', port: 15021 }, { name: 'http2', port: 80, nodePort: 30080 }, {
            name: 'https',
            port: 443,
            nodePort: 30443,
          }],
        }],
      }).spec;
      expect(spec.components).toEqual({
        ingressGateways: [{
          name: 'istio-ingressgateway',
          enabled: true,
          namespace: 'istio-system',
          label: {
            app: 'istio-ingressgateway',
            istio: 'ingressgateway',
          },
          k8s: {
            replicaCount: 2,
            hpaSpec: { minReplicas: 2, maxReplicas: 2 },
            resources: { requests: { cpu: '200m', memory: '256Mi' } },
            service: {
              type: 'NodePort',
              ports: [
                { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
                { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 },
                { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 30443 },
              ],
            },
          },
        }],
      });
    });

  test('listing gateways replaces the profile\'s: its default gateway is written turned off', () => {
    const spec = operator({ profile: InstallProfile.DEMO, egressGateways: [{ name: 'egress-shop' }] }).spec;
    expect(spec.components.egressGateways.map((g: any) => [g.name, g.enabled, g.label])).toEqual([
      ['egress-shop', true, { app: 'egress-shop', istio: 'egress-shop' }], ['istio-egressgateway', false, undefined],
    ]);
    expect(spec.components.egressGateways[0].k8s.service.type).toBe('ClusterIP');
    expect(spec.components.ingressGateways).toBeUndefined();
  });

  test('meshConfig: access log, sampling, providers, defaults, REGISTRY_ONLY, and sidecar settings', () => {
    const spec = operator({
      meshConfig: {
        accessLogFile: '/dev/stdout',
        accessLogEncoding: AccessLogEncoding.JSON,
        tracingSampling: 10,
        extensionProviders: [ExtensionProvider.zipkin('zipkin', { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 })],
        defaultProviders: { tracing: ['zipkin'], accessLogging: ['envoy'] },
        outboundTrafficPolicy: OutboundTrafficPolicy.REGISTRY_ONLY,
      },
      sidecarProxy: { holdApplicationUntilProxyStarts: true, resources: { requests: { cpu: '50m' } } },
    }).spec;
    expect(spec.meshConfig).toEqual({
      accessLogFile: '/dev/stdout',
      accessLogEncoding: 'JSON',
      defaultConfig: { holdApplicationUntilProxyStarts: true, tracing: { sampling: 10 } },
      extensionProviders: [{ name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } }],
      defaultProviders: { tracing: ['zipkin'], accessLogging: ['envoy'] },
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(spec.values).toEqual({ global: { proxy: { resources: { requests: { cpu: '50m' } } } } });
  });

  test('on the demo profile, providers added to meshConfig keep the profile\'s (Helm and istioctl replace its list)', () => {
    const collector = { service: 'opentelemetry-collector.observability.svc.cluster.local', port: 4317 };
    const jaeger = ExtensionProvider.openTelemetryTracing('jaeger', { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 });
    const props = { profile: InstallProfile.DEMO, meshConfig: { extensionProviders: [jaeger] } };
    expect(operator(props).spec.meshConfig.extensionProviders).toEqual([
      { name: 'otel', envoyOtelAls: collector },
      { name: 'skywalking', skywalking: { service: 'tracing.istio-system.svc.cluster.local', port: 11800 } },
      { name: 'otel-tracing', opentelemetry: collector },
      { name: 'jaeger', opentelemetry: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 } },
    ]);
    const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', props);
    const istiod = install.helmReleases().find(r => r.chart === 'istiod')!;
    expect((istiod.values.meshConfig as any).extensionProviders.map((p: any) => p.name)).toEqual(['otel', 'skywalking', 'otel-tracing', 'jaeger']);
    expect(['otel', 'skywalking', 'otel-tracing', 'jaeger'].map(name => install.hasProvider(name))).toEqual([true, true, true, true]);
    // a provider of the profile's name replaces the profile's; the default profile has none to keep
    const own = ExtensionProvider.openTelemetryTracing('otel-tracing', { service: 'otel.example.svc.cluster.local', port: 4317 });
    expect(operator({ ...props, meshConfig: { extensionProviders: [own] } }).spec.meshConfig.extensionProviders.map((p: any) => p.name))
      .toEqual(['otel', 'skywalking', 'otel-tracing']);
    expect(operator({ meshConfig: { extensionProviders: [jaeger] } }).spec.meshConfig.extensionProviders.map((p: any) => p.name))
      .toEqual(['jaeger']);
    // naming a profile provider needs no definition of it; without any provider given, the profile's list is not written
    const named = operator({ profile: InstallProfile.DEMO, meshConfig: { defaultProviders: { tracing: ['otel-tracing'] } } }).spec.meshConfig;
    expect(named).toEqual({ defaultProviders: { tracing: ['otel-tracing'] } });
  });

  test('the demo profile\'s own ingress gateway keeps the profile\'s tcp and tls ports in its Helm values', () => {
    const ports = (profile: InstallProfile) => {
      const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', { profile });
      const gateway = install.helmReleases().find(r => r.release === 'istio-ingressgateway')!;
      return (gateway.values.service as { ports: { name: string; port: number; targetPort: number }[] }).ports
        .map(p => `${p.name} ${p.port}->${p.targetPort}`);
    };
    expect(ports(InstallProfile.DEMO)).toEqual(['status-port 15021->15021', 'http2 80->8080', 'https 443->8443', 'tcp 31400->31400',
      'tls 15443->15443']);
    expect(ports(InstallProfile.DEFAULT)).toEqual(['status-port 15021->15021', 'http2 80->8080', 'https 443->8443']);
  });

  test('hasProvider answers the Telemetry construct: built-in providers and the defined ones, by kind', () => {
    const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', {
      meshConfig: {
        extensionProviders: [ExtensionProvider.openTelemetryTracing('otel-tracing',
          { service: 'otel.observability.svc.cluster.local', port: 4317 })],
      },
    });
    expect([install.hasProvider('otel-tracing', 'tracing'), install.hasProvider('otel-tracing', 'accessLogging'),
      install.hasProvider('envoy', 'accessLogging'), install.hasProvider('prometheus'), install.hasProvider('zipkin')]).toEqual([true,
      false, true, true, false]);
  });
});

/** Install props with one NodePort ingress gateway whose http2 port (80) has `nodePort`. */
const nodePortGateway = (nodePort: number) => ({
  ingressGateways: [{
    name: 'istio-ingressgateway',
    serviceType: GatewayServiceType.NODE_PORT,
    ports: [{
      name: 'http2',
      port: 80,
      nodePort,
    }],
  }],
});

describe('MeshInstall: what it refuses, with the field and the fix', () => {
  test('a node port outside the cluster\'s range (the default range, or the one given)', () => {
    expect(refusal(nodePortGateway(8080))).toBe('install/istio: ingressGateways[0].ports[0].nodePort: 8080 is outside the cluster\'s node port range '
      + '30000-32767. Fix: use a port from 30000 to 32767, or set nodePortRange to the cluster\'s --service-node-port-range');
    expect(refusal({
      ...nodePortGateway(30080),
      nodePortRange: {
        min: 20000,
        max: 22767,
      },
    })).toContain('30080 is outside the cluster\'s node port range 20000-22767');
    expect(() => operator({ ...nodePortGateway(21000), nodePortRange: { min: 20000, max: 22767 } })).not.toThrow();
  });

  test('a node port taken twice, and a node port on a ClusterIP Service', () => {
    expect(refusal({
      ingressGateways: [{ name: 'a', serviceType: GatewayServiceType.NODE_PORT, ports: [{ name: 'http2', port: 80, nodePort: 30080 }] }],
      egressGateways: [{ name: 'b', serviceType: GatewayServiceType.NODE_PORT, ports: [{ name: 'http2', port: 80, nodePort: 30080 }] }],
    })).toContain('egressGateways[0].ports[0].nodePort: node port 30080 is already taken by a port http2');
    expect(refusal({ egressGateways: [{ name: 'b', ports: [{ name: 'http2', port: 80, nodePort: 30080 }] }] }))
      .toContain('egressGateways[0].ports[0].nodePort: a ClusterIP Service has no node ports');
  });

  test('a gateway port number or name given twice names the repeated one', () => {
    expect(refusal({ ingressGateways: [{ name: 'a', ports: [{ name: 'http2', port: 80 }, { name: 'web', port: 80 }] }] }))
      .toContain('ingressGateways[0].ports[1].port: port 80 is already a port number of a');
    expect(refusal({ ingressGateways: [{ name: 'a', ports: [{ name: 'http2', port: 80 }, { name: 'http2', port: 81 }] }] }))
      .toContain('ingressGateways[0].ports[1].name: "http2" is already a port name of a');
  });

  test('a hub with a scheme, a tag with a space, a gateway Service annotation key Kubernetes refuses', () => {
    expect(refusal({ hub: 'https://registry.example.com/istio' })).toContain('install/istio: hub: "https://registry.example.com/istio" is not an image registry');
    expect(refusal({ tag: '1.30.0 latest' })).toContain('install/istio: tag: "1.30.0 latest" is not an image tag. Fix: ');
    expect(refusal({ ingressGateways: [{ name: 'istio-ingressgateway', serviceAnnotations: { 'bad key!': 'x' } }] }))
      .toContain('ingressGateways[0].serviceAnnotations.bad key!: "bad key!" is not a valid label or annotation key. Fix: ');
    expect(() => operator({ hub: 'registry.example.com:5000/istio', tag: '1.30.3-distroless' })).not.toThrow();
  });

  test('a node port range whose min is above its max', () => {
    expect(refusal({ nodePortRange: { min: 32000, max: 30000 } })).toBe('install/istio: nodePortRange: 32000-30000 is not a range of ports '
      + '(min 32000, max 30000). Fix: give the cluster\'s --service-node-port-range, min first, e.g. { min: 30000, max: 32767 }');
  });

  test('two gateways with one name, across ingress and egress', () => {
    expect(refusal({ ingressGateways: [{ name: 'shop-gateway' }], egressGateways: [{ name: 'shop-gateway' }] })).toBe(
      'install/istio: egressGateways[0].name: "shop-gateway" is already the name of ingressGateways[0]. '
      + 'Fix: give every gateway its own name (it names its Deployment, Service and Helm release)');
  });

  test('the ambient profile with sidecar-only settings (typed, or as Helm values)', () => {
    expect(refusal({ profile: InstallProfile.AMBIENT, sidecarProxy: { holdApplicationUntilProxyStarts: true } }))
      .toContain('sidecarProxy: the ambient profile runs workloads without sidecars');
    expect(refusal({ profile: InstallProfile.AMBIENT, values: { sidecarInjectorWebhook: { enableNamespacesByDefault: true } } }))
      .toContain('values.sidecarInjectorWebhook: the ambient profile runs workloads without sidecars');
    expect(() => operator({
      profile: InstallProfile.DEFAULT,
      values: { sidecarInjectorWebhook: { enableNamespacesByDefault: true } },
    })).not.toThrow();
  });

  test('values that a typed setting also writes, unknown default providers, bad sampling', () => {
    expect(refusal({
      tag: '1.30.0',
      values: { global: { tag: '1.29.0' } },
    })).toContain('values.global.tag: the key is also written by a typed setting');
    expect(refusal({ meshConfig: { defaultProviders: { tracing: ['jaeger'] } } })).toContain('meshConfig.defaultProviders.tracing[0]: "jaeger" is not a provider');
    expect(refusal({ meshConfig: { defaultProviders: { tracing: ['envoy'] } } })).toContain('"envoy" is an accessLogging provider, not a tracing one');
    expect(refusal({ meshConfig: { tracingSampling: 120 } })).toContain('meshConfig.tracingSampling: 120 is not a percentage');
    expect(refusal({ meshConfig: { accessLogFormat: '%START_TIME%' } })).toContain('meshConfig.accessLogFile: an access log encoding or format is set');
  });

  test('a literal secret in the Helm values\' env is refused before the IstioOperator or any values file is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-secret-'));
    try {
      const app = new App();
      new MeshInstall(new Chart(app, 'install'), 'istio', { values: { pilot: { env: { GITHUB_TOKEN: 'ghp_secret' } } } });
      expect(() => writeInstall(app, { outdir })).toThrow(/spec\.values\.pilot\.env\.GITHUB_TOKEN: GITHUB_TOKEN has a literal value.*Fix: .*values\.pilot\.envVarFrom/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('replicas and autoscaling together', () => {
    expect(refusal({ ingressGateways: [{ name: 'g', replicas: 2, autoscaling: { minReplicas: 1, maxReplicas: 3 } }] }))
      .toContain('ingressGateways[0].replicas: replicas and autoscaling are both set');
  });
});

describe('MeshInstall: the apps it serves', () => {
  test('a Gateway whose selector no installed gateway has: routing through istio: egressgateway with the egress gateway off', () => {
    const egress = appWithGateway({ istio: 'egressgateway' });
    expect(servedProblems({ profile: InstallProfile.DEFAULT }, egress)).toEqual([
      'shop/shop-gateway: selector: { istio: egressgateway } selects no gateway that install/istio installs '
      + '(it installs istio-ingressgateway { app: istio-ingressgateway, istio: ingressgateway }). '
      + 'Fix: enable a gateway with these labels in the install\'s ingressGateways or egressGateways, or select an installed gateway',
    ]);
    expect(servedProblems({ profile: InstallProfile.DEMO }, egress)).toEqual([]);
    expect(servedProblems({ profile: InstallProfile.MINIMAL }, appWithGateway())[0]).toContain('(it installs no gateway)');
    expect(servedProblems({ profile: InstallProfile.DEFAULT }, appWithGateway())).toEqual([]);
  });

  test('ambient namespaces and waypoints need the ambient profile', () => {
    const app = new Chart(testApp(), 'mesh', { namespace: 'shop' });
    new MeshNamespace(app, 'shop', { enrollment: MeshEnrollment.AMBIENT });
    new Waypoint(app, 'waypoint');
    const problems = servedProblems({ profile: InstallProfile.DEMO }, app);
    expect(problems).toEqual([
      expect.stringContaining('mesh/shop: enrollment: the namespace is enrolled in ambient mode, which install/istio does not install (no ztunnel)'),
      expect.stringContaining('mesh/waypoint: gatewayClassName: a waypoint needs ambient mode, which install/istio does not install'),
    ]);
    expect(servedProblems({ profile: InstallProfile.AMBIENT }, app)).toEqual([]);
  });

  test('a NodePort Service of the app on a node port the install gives its gateway', () => {
    const app = new Chart(testApp(), 'nodeport');
    new IngressNodePort(app, 'ingress', { httpNodePort: 30080 });
    const props: MeshInstallProps = { profile: InstallProfile.MINIMAL, ...nodePortGateway(30080) };
    expect(servedProblems(props,
      app)).toEqual([expect.stringContaining('nodeport/ingress: nodePort: node port 30080 is also istio-ingressgateway port http2 of install/istio')]);
  });
});

describe('MeshInstall: Helm values for base, istiod, cni/ztunnel and gateway', () => {
  test('the releases, in install order, with the same settings as the IstioOperator', () => {
    const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', {
      profile: InstallProfile.DEMO,
      tag: '1.30.0',
      meshConfig: { accessLogFile: '/dev/stdout' },
      egressGateways: [{ name: 'istio-egressgateway', replicas: 1 }],
    });
    const releases = install.helmReleases();
    expect(releases.map(r => [r.release, r.chart, r.namespace, r.valuesFile])).toEqual([
      ['istio-base', 'base', 'istio-system', 'istio-base.values.yaml'],
      ['istiod', 'istiod', 'istio-system', 'istiod.values.yaml'],
      ['istio-ingressgateway', 'gateway', 'istio-system', 'istio-ingressgateway.values.yaml'],
      ['istio-egressgateway', 'gateway', 'istio-system', 'istio-egressgateway.values.yaml'],
    ]);
    expect(releases[1].values).toEqual({
      global: { istioNamespace: 'istio-system', tag: '1.30.0' },
      profile: 'demo',
      meshConfig: { accessLogFile: '/dev/stdout' },
    });
    expect(releases[3].values).toEqual({
      labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
      serviceAccount: { name: 'istio-egressgateway-service-account' },
      replicaCount: 1,
      autoscaling: { enabled: false },
      service: {
        type: 'ClusterIP',
        ports: [{ name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 }, {
          name: 'https',
          port: 443,
          protocol: 'TCP',
          targetPort: 8443,
        }],
      },
    });
  });

  test('a gateway runs as the ServiceAccount istioctl gives it, so a policy allowing the ingress gateway holds with Helm too', () => {
    // the gateway chart names its ServiceAccount after the release (istio-ingressgateway) unless the values name one
    const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', {
      profile: InstallProfile.DEFAULT, ingressGateways: [{ name: 'istio-ingressgateway' }, { name: 'internal-gateway' }],
    });
    const accounts = install.helmReleases().filter(r => r.chart === 'gateway').map(r => (r.values.serviceAccount as { name: string }).name);
    expect(accounts).toEqual(['istio-ingressgateway-service-account', 'internal-gateway-service-account']);
    const chart = new Chart(testApp(), 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'shop');
    new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'example/orders:1' } } });
    new AuthorizationPolicy(chart, 'allow-ingress', { rules: [{ from: [Caller.ingressGateway()] }] });
    const policy = Testing.synth(chart).find(d => d.kind === 'AuthorizationPolicy')!;
    expect(policy.spec.rules[0].from[0].source.principals).toEqual([`cluster.local/ns/istio-system/sa/${accounts[0]}`]);
  });

  test('ambient installs the cni and ztunnel charts with the ambient profile, and no gateway', () => {
    const install = new MeshInstall(new Chart(testApp(), 'install'), 'istio', { profile: InstallProfile.AMBIENT });
    expect(install.helmReleases().map(r => [r.chart, r.values.profile])).toEqual([
      ['base', undefined], ['istiod', 'ambient'], ['cni', 'ambient'], ['ztunnel', 'ambient'],
    ]);
  });

  test('writeInstall writes the IstioOperator files, then helm/<install>/ with each file\'s command', () => {
    const app = new App();
    new MeshInstall(new Chart(app, 'minimal'), 'minimal', { profile: InstallProfile.MINIMAL });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-install-'));
    try {
      const { files } = writeInstall(app, { outdir: path.join(outdir, 'install') });
      expect(files).toEqual(['helm/minimal/istio-base.values.yaml', 'helm/minimal/istiod.values.yaml', 'minimal.yaml']);
      const istiod = fs.readFileSync(path.join(outdir, 'install', 'helm/minimal/istiod.values.yaml'), 'utf8');
      expect(istiod.split('\n')[0]).toBe('# In this folder: helm install istiod istio/istiod -n istio-system --create-namespace -f istiod.values.yaml');
      expect(yaml.load(istiod)).toEqual({ global: { istioNamespace: 'istio-system' } });
      expect(yaml.load(fs.readFileSync(path.join(outdir, 'install', 'minimal.yaml'), 'utf8'))).toMatchObject({
        kind: 'IstioOperator',
        spec: { profile: 'minimal' },
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('two installs of one name in one app are refused before anything is written, naming the construct and the fix', () => {
    const app = new App();
    new MeshInstall(new Chart(app, 'a'), 'istio', { profile: InstallProfile.MINIMAL });
    new MeshInstall(new Chart(app, 'b'), 'istio', { profile: InstallProfile.DEMO });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-install-'));
    try {
      expect(() => writeInstall(app, { outdir: path.join(outdir, 'install') }))
        .toThrow(/b\/istio.*name.*another MeshInstall of the app is also named "istio".*give every install its own name/s);
      expect(fs.existsSync(path.join(outdir, 'install'))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a chart mapped to a Helm values file\'s path is refused before anything is written; the previous output stays', () => {
    const app = new App();
    new MeshInstall(new Chart(app, 'istio'), 'istio', { profile: InstallProfile.MINIMAL });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-install-'));
    try {
      fs.writeFileSync(path.join(outdir, 'previous.yaml'), 'kind: Namespace\n');
      expect(() => writeInstall(app, { outdir, fileOf: () => 'helm/istio/istiod.values.yaml' }))
        .toThrow(/^istio: fileOf: "helm\/istio\/istiod\.values\.yaml" is also written by istio\/istio \(helm\/istio\/istiod\.values\.yaml\)\. Fix: map the chart to another file/);
      expect(fs.readdirSync(outdir)).toEqual(['previous.yaml']);
      const { files } = writeInstall(app, { outdir });
      expect(files).toEqual(['helm/istio/istio-base.values.yaml', 'helm/istio/istiod.values.yaml', 'istio.yaml']);
      expect(fs.readdirSync(outdir).sort()).toEqual(['helm', 'istio.yaml']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
