import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ExtensionProvider, GatewayServiceType, InstallProfile, MeshInstall, OutboundTrafficPolicy } from '../../lib';
import { AppBuild } from '../app-build';

/** Settings of the install files. */
export interface InstallSettings {
  /**
   * The Istio version the files pin (`spec.tag`, the charts' `global.tag`).
   * @default none (the istioctl or chart release's own)
   */
  readonly tag?: string;
  /**
   * Node port of the ingress gateway's HTTP port (80) in `minimal-nodeport.yaml`.
   * @default 30080
   */
  readonly httpNodePort?: number;
  /**
   * Node port of the ingress gateway's HTTPS port (443) in `minimal-nodeport.yaml`.
   * @default 30443
   */
  readonly httpsNodePort?: number;
}

/** An app the install files serve: its dist folder name and how to build it. */
export interface ServedApp {
  /** The app's dist folder name. */
  readonly name: string;
  /** Builds it with its default settings. */
  readonly build: (settings: Record<string, never>) => AppBuild;
}

/** The charts of an app that an install serves: all but the `nodeport/` files, which stand in for a NodePort gateway. */
function servedCharts(app: ServedApp): IConstruct[] {
  const { app: built, fileOf } = app.build({});
  return built.charts.filter(chart => !fileOf(chart).startsWith('nodeport/'));
}

/**
 * The install files the bundled apps need, one IstioOperator per file of `dist/install/` and the
 * same as Helm values in `dist/install/helm/<file>/`:
 * - `demo.yaml`: the demo profile (ingress and egress gateways, access logs) with the addons'
 *   Jaeger as the default tracing provider `jaeger`, serving every sidecar app;
 * - `default.yaml`: the default profile (ingress gateway only), serving the apps without egress;
 * - `minimal-nodeport.yaml`: the tutorial's `--set profile=minimal -f istio-ingressgateway.yml`, the
 *   minimal profile plus an ingress gateway on node ports, serving hello and Bookinfo;
 * - `egress-registry-only.yaml`: demo with `REGISTRY_ONLY` outbound traffic (only registered hosts,
 *   through the egress gateway), serving food delivery;
 * - `ambient.yaml`: the ambient profile, serving the `-ambient` apps.
 */
export function installApp(settings: InstallSettings, apps: readonly ServedApp[]): AppBuild {
  const app = new App();
  const byName = (...names: string[]) => apps.filter(a => names.includes(a.name)).flatMap(servedCharts);
  const sidecarApps = apps.filter(a => !a.name.endsWith('-ambient'));
  const jaeger = ExtensionProvider.openTelemetryTracing('jaeger', {
    service: 'jaeger-collector.istio-system.svc.cluster.local',
    port: 4317,
  });
  const variant = (id: string) => new Chart(app, id);
  const { tag } = settings;

  new MeshInstall(variant('demo'), 'demo', {
    profile: InstallProfile.DEMO,
    tag,
    // the default tracing provider: without one (or a Telemetry naming it) no proxy sends a span
    meshConfig: { accessLogFile: '/dev/stdout', extensionProviders: [jaeger], defaultProviders: { tracing: ['jaeger'] } },
    serves: sidecarApps.flatMap(servedCharts),
  });
  new MeshInstall(variant('default'), 'default', {
    profile: InstallProfile.DEFAULT, tag, serves: byName('bookinfo', 'bookinfo-secure', 'hello', 'voting'),
  });
  new MeshInstall(variant('minimal-nodeport'), 'minimal-nodeport', {
    profile: InstallProfile.MINIMAL,
    tag,
    ingressGateways: [{
      name: 'istio-ingressgateway',
      serviceType: GatewayServiceType.NODE_PORT,
      ports: [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port: 80, nodePort: settings.httpNodePort ?? 30080 },
        { name: 'https', port: 443, nodePort: settings.httpsNodePort ?? 30443 },
      ],
    }],
    serves: byName('hello', 'bookinfo'),
  });
  new MeshInstall(variant('egress-registry-only'), 'egress-registry-only', {
    profile: InstallProfile.DEMO,
    tag,
    meshConfig: { accessLogFile: '/dev/stdout', outboundTrafficPolicy: OutboundTrafficPolicy.REGISTRY_ONLY },
    serves: byName('food-delivery'),
  });
  new MeshInstall(variant('ambient'), 'ambient', {
    profile: InstallProfile.AMBIENT, tag, serves: apps.filter(a => a.name.endsWith('-ambient')).flatMap(servedCharts),
  });
  return { app, fileOf: chart => `${chart.node.id}.yaml` };
}
