import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/**
 * The demo install sends every proxy's spans to the addons' Jaeger: the tracing provider is the
 * mesh's default (no Telemetry needed for Jaeger's and Kiali's traces), and its collector address
 * is a port of the jaeger-collector Service that dist/addons/ deploys.
 */
const DIST = path.join(__dirname, '..', '..', 'dist');
const docsIn = (file: string) => yaml.loadAll(fs.readFileSync(path.join(DIST, file), 'utf8')) as Record<string, any>[];

describe('the demo install\'s tracing reaches the addons\' Jaeger', () => {
  const meshConfig = docsIn('install/demo.yaml')[0].spec.meshConfig;
  const helmMeshConfig = (yaml.load(fs.readFileSync(path.join(DIST, 'install', 'helm', 'demo', 'istiod.values.yaml'), 'utf8')) as any).meshConfig;

  test.each([['the IstioOperator', meshConfig], ['the istiod Helm values', helmMeshConfig]])('%s makes jaeger the default tracing provider', (_, config) => {
    expect(config.defaultProviders).toEqual({ tracing: ['jaeger'] });
    expect(config.extensionProviders.map((p: any) => p.name)).toEqual(['otel', 'skywalking', 'otel-tracing', 'jaeger']);
  });

  test('its OTLP collector is a port of the addons\' jaeger-collector Service', () => {
    const { service, port } = meshConfig.extensionProviders.find((p: any) => p.name === 'jaeger').opentelemetry;
    const [name, namespace] = service.split('.');
    const collector = docsIn('addons/addons.yaml').find(d => d.kind === 'Service' && d.metadata.name === name && d.metadata.namespace === namespace);
    expect(collector?.spec.ports.map((p: any) => p.port)).toContain(port);
  });
});
