import { App, Chart, Testing } from 'cdk8s';
import { addonsApp } from '../../apps/addons';
import { APPS, servedApps } from '../../apps/synth-all';
import { MeshService, ObservabilityAddons, PortProtocol, ScrapeJobs } from '../../lib';

/** An app of two services: a versioned HTTP one and a TCP one without versions. */
function shop(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshService(chart, 'orders', { port: 8080, versions: { v1: { image: 'orders:1' }, v2: { image: 'orders:2' } } });
  new MeshService(chart, 'cache', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }], workload: { image: 'redis:7' } });
  return chart;
}

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('Grafana dashboards generated from the app\'s model', () => {
  const app = new App();
  const chart = new Chart(app, 'addons');
  const addons = new ObservabilityAddons(chart, 'addons');
  addons.addAppDashboard('shop', shop(app));
  const docs = Testing.synth(chart);
  const dashboards = (name: string) => docs.find(d => d.metadata.name === name).data;

  test('one dashboard per app in istio-services-grafana-dashboards, and a mesh dashboard of every service in istio-grafana-dashboards',
    () => {
      expect(Object.keys(dashboards('istio-services-grafana-dashboards'))).toEqual(['shop-dashboard.json']);
      expect(Object.keys(dashboards('istio-grafana-dashboards'))).toEqual(['mesh-dashboard.json']);
    });

  test('per HTTP service and version: request rate, 5xx share and p50/p90/p99 latency from Istio\'s standard metrics', () => {
    const model = JSON.parse(dashboards('istio-services-grafana-dashboards')['shop-dashboard.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual([
      'orders.shop', 'orders: request rate', 'orders: error rate (5xx)', 'orders: latency',
      'cache.shop', 'cache: bytes received', 'cache: bytes sent', 'cache: connections opened',
    ]);
    const selector = 'reporter="destination",destination_service_namespace="shop",destination_service_name="orders"';
    expect(model.panels[1].targets[0].expr).toBe(`sum(rate(istio_requests_total{${selector}}[$__rate_interval])) by (destination_version)`);
    expect(model.panels[2].targets[0].expr).toBe(`sum(rate(istio_requests_total{${selector},response_code=~"5.."}[$__rate_interval])) by (destination_version)`
      + ` / sum(rate(istio_requests_total{${selector}}[$__rate_interval])) by (destination_version)`);
    expect(model.panels[3].targets.map((t: any) => t.legendFormat)).toEqual(['p50 {{destination_version}}', 'p90 {{destination_version}}',
      'p99 {{destination_version}}']);
    expect(model.panels[3].targets[2].expr).toBe(`histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${selector}}[$__rate_interval]))`
      + ' by (le, destination_version))');
  });

  test('a service without versions is broken down by workload; TCP services by bytes and connections', () => {
    const model = JSON.parse(dashboards('istio-services-grafana-dashboards')['shop-dashboard.json']);
    expect(model.panels[5].targets[0].expr).toBe('sum(rate(istio_tcp_received_bytes_total{reporter="destination",destination_service_namespace="shop",'
      + 'destination_service_name="cache"}[$__rate_interval])) by (destination_workload)');
    expect(model.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
  });

  test('the bundled apps each get theirs in dist/addons', () => {
    const { app: built } = addonsApp({}, servedApps(APPS));
    const maps = built.charts.flatMap(c => c.toJson()).filter((d: any) => d.metadata.name === 'istio-services-grafana-dashboards');
    expect(Object.keys(maps[0].data).sort()).toEqual(['bookinfo-dashboard.json', 'food-delivery-dashboard.json', 'hello-dashboard.json',
      'voting-dashboard.json']);
    const bookinfo = JSON.parse(maps[0].data['bookinfo-dashboard.json']);
    expect(bookinfo.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(
      ['details.bookinfo', 'ratings.bookinfo', 'reviews.bookinfo', 'productpage.bookinfo']);
  });
});

describe('exposure: node ports or the ingress gateway, one per chart', () => {
  test('node ports as the tutorials: Kiali 20001 → 30007 and 9090 → 30008, Prometheus 9090 → 30009, beside the addons\' own Services',
    () => {
      const app = new App();
      const addons = new ObservabilityAddons(new Chart(app, 'addons'), 'addons');
      const exposure = new Chart(app, 'nodeports');
      addons.exposeOnNodePorts(exposure);
      const services = Testing.synth(exposure);
      expect(services.map(s => [s.metadata.name, s.spec.type, s.spec.ports.map((p: any) => `${p.port}->${p.nodePort}`)])).toEqual([
        ['kiali-nodeport', 'NodePort', ['20001->30007', '9090->30008']], ['prometheus-nodeport', 'NodePort', ['9090->30009']],
        ['grafana-nodeport', 'NodePort', ['3000->30010']], ['tracing-nodeport', 'NodePort', ['80->30011']],
      ]);
      expect(services[0].spec.selector).toEqual({ 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': 'kiali' });
    });

  test('host names through the ingress gateway: HTTPS with the given certificate, HTTP redirected, a VirtualService per addon', () => {
    const app = new App();
    const addons = new ObservabilityAddons(new Chart(app, 'addons'), 'addons', { jaeger: false });
    const exposure = new Chart(app, 'gateway', { namespace: 'istio-system' });
    addons.exposeThroughGateway(exposure, {
      hosts: { kiali: 'kiali.example.com', grafana: 'grafana.example.com' },
      credentialName: 'addons-tls',
    });
    const docs = Testing.synth(exposure);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['Gateway/addons-gateway', 'VirtualService/kiali',
      'VirtualService/grafana']);
    expect(docs[0].spec.servers.map((s: any) => [s.port.number, s.tls])).toEqual([[80, { httpsRedirect: true }], [443, {
      mode: 'SIMPLE',
      credentialName: 'addons-tls',
    }]]);
    expect(docs[1].spec.http[0].route[0].destination).toEqual({ host: 'kiali.istio-system.svc.cluster.local', port: { number: 20001 } });
  });

  test('both in one chart, an addon left out, node ports out of range or taken twice are refused', () => {
    const app = new App();
    const addons = new ObservabilityAddons(new Chart(app, 'addons'), 'addons', { jaeger: false });
    const exposure = new Chart(app, 'exposure', { namespace: 'istio-system' });
    addons.exposeOnNodePorts(exposure);
    expect(refusal(() => addons.exposeThroughGateway(exposure, {
      hosts: { kiali: 'kiali.example.com' },
      credentialName: 'tls',
    }))).toContain(
      'addons/addons: exposeThroughGateway: chart exposure already exposes the addons with exposeOnNodePorts()');
    const other = new Chart(app, 'other', { namespace: 'istio-system' });
    expect(refusal(() => addons.exposeThroughGateway(other, { hosts: { jaeger: 'jaeger.example.com' }, credentialName: 'tls' })))
      .toContain('exposeThroughGateway.hosts.jaeger: jaeger is left out');
    expect(refusal(() => addons.exposeOnNodePorts(new Chart(app, 'a'),
      { kiali: 8080 }))).toContain('exposeOnNodePorts.kiali: 8080 is outside the default node port range');
    expect(refusal(() => addons.exposeOnNodePorts(new Chart(app, 'b'),
      { grafana: 30007 }))).toContain('exposeOnNodePorts.grafana: 30007 is already the node port of kiali');
  });
});

describe('typed settings', () => {
  test('Prometheus scrape jobs and durations; a job name twice is refused', () => {
    const chart = new Chart(new App(), 'addons');
    new ObservabilityAddons(chart, 'addons', {
      prometheus: { scrapeInterval: '30s', retention: '2d', scrapeJobs: [ScrapeJobs.annotatedPods(), ScrapeJobs.self(9090)] },
      grafana: false,
      kiali: false,
      jaeger: false,
      loki: false,
    });
    const docs = Testing.synth(chart);
    const config = docs.find(d => d.kind === 'ConfigMap').data['prometheus.yml'];
    expect(config).toContain('scrape_interval: 30s');
    expect(config.match(/job_name: (.*)/g)).toEqual(['job_name: kubernetes-pods', 'job_name: prometheus']);
    expect(docs.find(d => d.kind === 'Deployment').spec.template.spec.containers[1].args[0]).toBe('--storage.tsdb.retention.time=2d');
    expect(refusal(() => new ObservabilityAddons(new Chart(new App(), 'x'), 'addons', {
      prometheus: {
        scrapeJobs: [ScrapeJobs.self(9090),
          ScrapeJobs.self(9091)],
      },
    })))
      .toContain('prometheus: scrapeJobs[1].name: "prometheus" is already a job name');
    expect(refusal(() => new ObservabilityAddons(new Chart(new App(), 'y'), 'addons', { prometheus: { retention: '15 days' } })))
      .toContain('retention: "15 days" is not a Prometheus duration');
  });

  test('without Loki, Grafana has only the Prometheus data source; without Jaeger, Kiali has no tracing', () => {
    const chart = new Chart(new App(), 'addons');
    new ObservabilityAddons(chart, 'addons', { loki: false, jaeger: false });
    const docs = Testing.synth(chart);
    expect(docs.find(d => d.metadata.name === 'grafana' && d.kind === 'ConfigMap').data['datasources.yaml']).not.toContain('loki');
    expect(docs.find(d => d.metadata.name === 'kiali' && d.kind === 'ConfigMap').data['config.yaml']).toContain('tracing:\n    enabled: false');
  });
});
