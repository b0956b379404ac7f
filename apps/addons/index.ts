import { App, Chart } from 'cdk8s';
import { ObservabilityAddons } from '../../lib';
import { AppBuild, overlay } from '../app-build';
import type { ServedApp } from '../install';

/** Settings of the addons. */
export interface AddonsSettings {
  /**
   * The domain of the addons' host names in `gateway/addons-gateway.yaml` (`kiali.<domain>`, ...).
   * @default 'example.com'
   */
  readonly domain?: string;
  /**
   * The TLS Secret (in istio-system) holding the certificate of those hosts.
   * @default 'addons-tls'
   */
  readonly tlsSecretName?: string;
}

/** The apps that get a Grafana dashboard: every app that is not a rendering variant of another. */
const DASHBOARD_APPS = ['bookinfo', 'food-delivery', 'voting', 'hello'];

/**
 * Istio's observability addons as an app: `addons.yaml` (Prometheus, Grafana with a dashboard per
 * bundled app, Jaeger, Kiali, Loki in istio-system, reachable inside the cluster only), and two
 * alternative overlays, each applied on its own on top of it: `nodeports/addons-nodeports.yaml`
 * (the tutorials' node ports) and `gateway/addons-gateway.yaml` (host names through the ingress
 * gateway, HTTPS only).
 */
export function addonsApp(settings: AddonsSettings, apps: readonly ServedApp[]): AppBuild {
  const app = new App();
  const base = new Chart(app, 'addons');
  const addons = new ObservabilityAddons(base, 'addons');
  for (const served of apps.filter(a => DASHBOARD_APPS.includes(a.name))) {
    addons.addAppDashboard(served.name, served.build({}).app);
  }
  const nodePorts = overlay(new Chart(app, 'addons-nodeports'));
  addons.exposeOnNodePorts(nodePorts);
  const gateway = overlay(new Chart(app, 'addons-gateway', { namespace: addons.namespace }));
  const domain = settings.domain ?? 'example.com';
  addons.exposeThroughGateway(gateway, {
    hosts: { kiali: `kiali.${domain}`, prometheus: `prometheus.${domain}`, grafana: `grafana.${domain}`, jaeger: `jaeger.${domain}` },
    credentialName: settings.tlsSecretName ?? 'addons-tls',
  });
  const fileOf = (chart: Chart) => {
    if (chart === nodePorts) return `nodeports/${chart.node.id}.yaml`;
    if (chart === gateway) return `gateway/${chart.node.id}.yaml`;
    return `${chart.node.id}.yaml`;
  };
  return { app, fileOf };
}
