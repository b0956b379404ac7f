import { App, Chart, Testing } from 'cdk8s';
import { Grafana, Kiali, Loki, Prometheus, ScrapeJob, ScrapeJobs } from '../../lib';
import { expectMeshError } from '../support/constructs';

const chart = () => new Chart(new App(), 'addons');
const job = (extra: Partial<ScrapeJob>): ScrapeJob => ({ name: 'app', kubernetesRole: 'pod', ...extra });

describe('Prometheus settings it would refuse to load', () => {
  test('an empty duration, and a timeout longer than the interval, globally or in a job', () => {
    expectMeshError(() => new Prometheus(chart(), 'p', { retention: '' }), 'addons/p', 'retention', 'not a Prometheus duration');
    expectMeshError(() => new Prometheus(chart(), 'p', { scrapeInterval: '5s' }), 'addons/p', 'scrapeTimeout',
      '10s is longer than the scrape interval (5s)');
    expectMeshError(() => new Prometheus(chart(), 'p', { scrapeJobs: [job({ scrapeInterval: '10s', scrapeTimeout: '1m' })] }),
      'addons/p', 'scrapeJobs[0].scrapeTimeout', 'longer than the job\'s scrape interval (10s)');
    expectMeshError(() => new Prometheus(chart(), 'p', { scrapeJobs: [job({ scrapeTimeout: '20s' })] }),
      'addons/p', 'scrapeJobs[0].scrapeTimeout', 'the global one');
    expectMeshError(() => new Prometheus(chart(), 'p', { scrapeJobs: [job({ scrapeInterval: '1 minute' })] }),
      'addons/p', 'scrapeJobs[0].scrapeInterval', 'not a Prometheus duration');
  });

  test('compound durations and a timeout within the job\'s own interval are accepted', () => {
    const c = chart();
    new Prometheus(c, 'p', { scrapeInterval: '1m30s', scrapeTimeout: '1m', retention: '1y2w', scrapeJobs: [job({ scrapeInterval: '5m', scrapeTimeout: '2m' })] });
    const config = Testing.synth(c).find(d => d.kind === 'ConfigMap').data['prometheus.yml'];
    expect(config).toContain('scrape_interval: 1m30s');
    expect(config).toContain('scrape_timeout: 2m');
  });

  test('jobs without a name, relabel steps Prometheus cannot compile or apply, targets with a scheme', () => {
    const refuses = (jobs: ScrapeJob[], field: string, words: string) =>
      expectMeshError(() => new Prometheus(chart(), 'p', { scrapeJobs: jobs }), 'addons/p', field, words);
    refuses([job({ name: '' })], 'scrapeJobs[0].name', 'no name');
    refuses([job({ relabel: [{ action: 'keep', sourceLabels: ['x'], regex: '(?=a)' }] })], 'scrapeJobs[0].relabel[0].regex', 'not an RE2 regex');
    refuses([job({ relabel: [{ sourceLabels: ['x'], regex: '(.*)' }] })], 'scrapeJobs[0].relabel[0].targetLabel', 'no target label');
    refuses([job({ relabel: [{ action: 'Keep' as 'keep', regex: 'a' }] })], 'scrapeJobs[0].relabel[0].action', 'not one of keep, drop, replace, labelmap');
    refuses([job({ relabel: [{ action: 'keep', regex: 'a', target_label: 'x' } as never] })], 'scrapeJobs[0].relabel[0].target_label', 'write targetLabel');
    refuses([{ name: 'static', staticTargets: ['http://pushgateway:9091'] }], 'scrapeJobs[0].staticTargets[0]', 'not a target address');
    refuses([job({ metricsPath: 'metrics' })], 'scrapeJobs[0].metricsPath', 'not a URL path');
    refuses([job({ honorLabels: 'false' as unknown as boolean })], 'scrapeJobs[0].honorLabels', 'must be true or false');
    refuses([job({ scheme: 'HTTPS' as 'https' })], 'scrapeJobs[0].scheme', 'not one of http, https');
  });

  test('the library\'s own jobs pass the same checks', () => {
    const jobs = [ScrapeJobs.apiServers(), ScrapeJobs.nodes(), ScrapeJobs.nodes(true), ScrapeJobs.annotatedPods(true),
      ScrapeJobs.annotatedServiceEndpoints(true), ScrapeJobs.probedServices(), ScrapeJobs.self(9090), ScrapeJobs.pushgateway()];
    expect(() => new Prometheus(chart(), 'p', { scrapeJobs: jobs })).not.toThrow();
  });
});

describe('Grafana, Kiali and Loki settings', () => {
  const prometheus = { name: 'Prometheus', type: 'prometheus' as const, url: 'http://prometheus:9090', timeInterval: '5s' };

  test('Grafana data sources: a name twice, a URL that is not one, a step that is not a duration', () => {
    expectMeshError(() => new Grafana(chart(), 'g', { dataSources: [prometheus, { ...prometheus, url: 'http://other:9090' }] }),
      'addons/g', 'dataSources[1].name', '"Prometheus" is already a data source');
    expectMeshError(() => new Grafana(chart(), 'g', { dataSources: [{ ...prometheus, url: 'prometheus:9090' }] }),
      'addons/g', 'dataSources[0].url', 'not an http or https URL');
    expectMeshError(() => new Grafana(chart(), 'g', { dataSources: [{ ...prometheus, timeInterval: '5 s' }] }),
      'addons/g', 'dataSources[0].timeInterval', 'not a Prometheus duration');
    expectMeshError(() => new Grafana(chart(), 'g', { anonymousRole: 'viewer' as never }), 'addons/g', 'anonymousRole', 'GrafanaRole');
  });

  test('Kiali\'s URLs must be http(s) URLs', () => {
    expectMeshError(() => new Kiali(chart(), 'k', { prometheusUrl: 'prometheus.istio-system:9090' }), 'addons/k', 'prometheusUrl', 'not an http');
    expectMeshError(() => new Kiali(chart(), 'k', { prometheusUrl: 'http://p:9090', grafana: { internalUrl: 'http://g:3000', externalUrl: 'ftp://g' } }),
      'addons/k', 'grafana.externalUrl', 'not an http');
    expectMeshError(() => new Kiali(chart(), 'k', { prometheusUrl: 'http://p:9090', istioNamespace: 'Istio_System' }), 'addons/k', 'istioNamespace');
  });

  test('Loki\'s sample age is a duration', () => {
    expectMeshError(() => new Loki(chart(), 'l', { rejectOlderThan: '7 days' }), 'addons/l', 'rejectOlderThan', 'not a Prometheus duration');
  });
});

describe('addon images', () => {
  const labelsOf = (image: string) => {
    const c = chart();
    new Grafana(c, 'g', { image });
    return Testing.synth(c).filter(d => d.kind === 'Deployment').map(d => d.metadata.labels['app.kubernetes.io/version']);
  };

  test('the version label is the tag, and is left out where the image has none a label can hold', () => {
    expect(labelsOf('registry.local:5000/grafana/grafana:12.1.0')).toEqual(['12.1.0']);
    expect(labelsOf('registry.local:5000/grafana/grafana')).toEqual([undefined]);
    expect(labelsOf(`docker.io/grafana/grafana@sha256:${'a'.repeat(64)}`)).toEqual([undefined]);
    expect(labelsOf(`docker.io/grafana/grafana:12.1.0@sha256:${'a'.repeat(64)}`)).toEqual(['12.1.0']);
  });

  test('an image reference that is not one is refused', () => {
    expectMeshError(() => new Prometheus(chart(), 'p', { reloaderImage: 'Ghcr.io/Reloader:1' }), 'addons/p', 'reloaderImage');
    expectMeshError(() => new Loki(chart(), 'l', { rulesSidecarImage: 'has space:1' }), 'addons/l', 'rulesSidecarImage');
  });
});
