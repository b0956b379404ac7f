import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BUILT_IN_TELEMETRY_PROVIDERS, IMeshProviders, IstioMetric, Telemetry, TelemetryMode, TelemetryProviderKind, TracingTag, isMeshProviders,
} from '../../lib';
import { docsOf, expectMeshError, expectProblem, expectSchemaValid, findDoc, newChart, service, validationProblems } from '../support/constructs';
import { readReference, testNeeding } from '../support/reference';

/** An install defining extension providers by name and kind, as MeshInstall does (its mesh config's extensionProviders). */
class FakeInstall extends Construct implements IMeshProviders {
  constructor(scope: Construct, id: string, private readonly providers: Record<string, TelemetryProviderKind>) {
    super(scope, id);
  }

  public hasProvider(name: string, kind?: TelemetryProviderKind): boolean {
    return (BUILT_IN_TELEMETRY_PROVIDERS[name] ?? this.providers[name]) === (kind ?? this.providers[name]);
  }
}

const parityTest = testNeeding('reference/istio/samples/open-telemetry');

describe('Telemetry', () => {
  parityTest('reproduces samples/open-telemetry/tracing/telemetry.yaml (OpenTelemetry tracing, sampling off)', () => {
    const { app, chart } = newChart(null);
    new FakeInstall(app, 'install', { 'otel-tracing': 'tracing' });
    new Telemetry(chart, 'otel-demo', { tracing: [{ providers: ['otel-tracing'], randomSamplingPercentage: 0 }] });
    expect(validationProblems(app)).toEqual([]);
    expect(docsOf(chart)).toEqual(readReference('istio/samples/open-telemetry/tracing/telemetry.yaml'));
  });

  parityTest('reproduces samples/open-telemetry/loki/telemetry.yaml (mesh-wide access logs to the otel provider of loki/iop.yaml)', () => {
    const { app, chart } = newChart('shop');
    const iop = readReference('istio/samples/open-telemetry/loki/iop.yaml')[0];
    // loki/iop.yaml defines otel as an OpenTelemetry access log service (envoyOtelAls).
    expect(iop.spec.meshConfig.extensionProviders.map((p: { name: string }) => p.name)).toEqual(['otel']);
    new FakeInstall(app, 'install', { otel: 'accessLogging' });
    new Telemetry(chart, 'mesh-logging', { meshWide: true, accessLogging: [{ providers: ['otel'] }] });
    expect(validationProblems(app)).toEqual([]);
    expect(docsOf(chart)).toEqual(readReference('istio/samples/open-telemetry/loki/telemetry.yaml'));
  });

  test('a workload Telemetry with every setting renders valid against the CRD (schema and CEL)', () => {
    const { app, chart } = newChart();
    new FakeInstall(app, 'install', { zipkin: 'tracing' });
    const reviews = service(chart, 'reviews');
    new Telemetry(chart, 'reviews-telemetry', {
      selector: reviews,
      tracing: [{
        providers: ['zipkin'],
        randomSamplingPercentage: 12.5,
        mode: TelemetryMode.SERVER,
        disableSpanReporting: false,
        customTags: {
          cluster: TracingTag.literal('east'),
          user: TracingTag.header('end-user', 'anonymous'),
          pod: TracingTag.environment('POD_NAME'),
        },
      }],
      accessLogging: [{ providers: ['envoy'], filter: 'response.code >= 400', mode: TelemetryMode.CLIENT }],
      metrics: [{
        providers: ['prometheus'],
        reportingInterval: Duration.seconds(15),
        overrides: [
          { metric: IstioMetric.REQUEST_COUNT, mode: TelemetryMode.CLIENT_AND_SERVER, setTags: { request_host: 'request.host' }, removeTags: ['grpc_response_status'] },
          { metric: IstioMetric.TCP_SENT_BYTES, disabled: true },
          { customMetric: 'my_metric', removeTags: ['destination_canonical_service'] },
        ],
      }],
    });
    const docs = docsOf(chart);
    const spec = findDoc(docs, 'Telemetry', 'reviews-telemetry').spec;
    expect(spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      tracing: [{
        match: { mode: 'SERVER' },
        providers: [{ name: 'zipkin' }],
        randomSamplingPercentage: 12.5,
        disableSpanReporting: false,
        customTags: {
          cluster: { literal: { value: 'east' } },
          user: { header: { name: 'end-user', defaultValue: 'anonymous' } },
          pod: { environment: { name: 'POD_NAME' } },
        },
      }],
      accessLogging: [{ match: { mode: 'CLIENT' }, providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }],
      metrics: [{
        providers: [{ name: 'prometheus' }],
        reportingInterval: '15s',
        overrides: [
          {
            match: { metric: 'REQUEST_COUNT', mode: 'CLIENT_AND_SERVER' },
            tagOverrides: { request_host: { operation: 'UPSERT', value: 'request.host' }, grpc_response_status: { operation: 'REMOVE' } },
          },
          { match: { metric: 'TCP_SENT_BYTES' }, disabled: true },
          { match: { customMetric: 'my_metric' }, tagOverrides: { destination_canonical_service: { operation: 'REMOVE' } } },
        ],
      }],
    });
    expectSchemaValid(docs);
  });

  test('targetRefs attach it to a gateway or waypoint', () => {
    const { chart } = newChart();
    new Telemetry(chart, 'waypoint-logs', {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }],
      accessLogging: [{ providers: ['envoy'] }],
    });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Telemetry', 'waypoint-logs').spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }]);
    expectSchemaValid(docs);
  });

  test('a provider the install does not define fails synthesis, naming the install and the fix', () => {
    const { app, chart } = newChart();
    new FakeInstall(app, 'install', { otel: 'accessLogging' });
    new Telemetry(chart, 'tracing', { tracing: [{ providers: ['zipkin'] }, { providers: ['otel'] }] });
    const problems = validationProblems(app);
    expectProblem(problems, 'test/tracing', 'tracing[0].providers[0]',
      'tracing provider "zipkin" is not defined by the install (install)', 'add a tracing extension provider named "zipkin"');
    // otel is an access log provider, not a tracing one
    expectProblem(problems, 'test/tracing', 'tracing[1].providers[0]', 'tracing provider "otel"');
  });

  test('without an install in the app only the built-in providers may be named; the install prop names one elsewhere', () => {
    const { app, chart } = newChart();
    new Telemetry(chart, 'logs', { accessLogging: [{ providers: ['otel'] }] });
    expectProblem(validationProblems(app), 'test/logs', 'accessLogging[0].providers[0]', 'holds no Istio install', 'pass install:');

    const other = newChart();
    const install = new FakeInstall(other.app, 'install', { otel: 'accessLogging' });
    new Telemetry(other.chart, 'logs', { accessLogging: [{ providers: ['otel'] }], install });
    new Telemetry(other.chart, 'metrics', { selector: { app: 'x' }, metrics: [{ providers: ['prometheus'] }] });
    expect(validationProblems(other.app)).toEqual([]);
    expect(isMeshProviders(install)).toBe(true);
    expect(isMeshProviders(other.chart)).toBe(false);
  });

  test('refuses what Istio rejects or ignores, with the field and the fix', () => {
    const { chart } = newChart();
    const reviews = service(chart, 'reviews');
    expectMeshError(() => new Telemetry(chart, 'a', {}), 'test/a', 'tracing', 'configures nothing');
    expectMeshError(() => new Telemetry(chart, 'b', { meshWide: true, selector: reviews, tracing: [{}] }), 'test/b', 'selector', 'mesh-wide');
    expectMeshError(() => new Telemetry(chart, 'b2', { meshWide: true, namespace: 'shop', tracing: [{}] }), 'test/b2', 'namespace',
      'would be ignored');
    expectMeshError(() => new Telemetry(chart, 'c', { selector: reviews, targetRefs: [{ kind: 'Service', name: 'reviews' }], tracing: [{}] }),
      'test/c', 'targetRefs', 'cannot both be set');
    expectMeshError(() => new Telemetry(chart, 'd', { tracing: [{ randomSamplingPercentage: 101 }] }),
      'test/d', 'tracing[0].randomSamplingPercentage', 'not a percentage');
    expectMeshError(() => new Telemetry(chart, 'e', { accessLogging: [{}] }), 'test/e', 'accessLogging[0].providers', 'IST0157');
    expectMeshError(() => new Telemetry(chart, 'f', { tracing: [{ providers: [] }] }), 'test/f', 'tracing[0].providers', 'empty');
    expectMeshError(() => new Telemetry(chart, 'g', { tracing: [{ providers: ['has space'] }] }), 'test/g', 'tracing[0].providers[0]', 'not a provider name');
    expectMeshError(() => new Telemetry(chart, 'h', { metrics: [{ overrides: [{ metric: IstioMetric.REQUEST_COUNT }] }] }),
      'test/h', 'metrics[0].overrides[0]', 'changes nothing');
    expectMeshError(() => new Telemetry(chart, 'i', { metrics: [{ overrides: [{ setTags: { a: 'x' }, removeTags: ['a'] }] }] }),
      'test/i', 'metrics[0].overrides[0].removeTags', 'both set and removed');
    expectMeshError(() => new Telemetry(chart, 'j', { metrics: [{ overrides: [{ disabled: true, removeTags: ['a'] }] }] }),
      'test/j', 'metrics[0].overrides[0].disabled', 'no tags');
    expectMeshError(() => new Telemetry(chart, 'k', { metrics: [{ overrides: [{ metric: IstioMetric.REQUEST_COUNT, customMetric: 'x', disabled: true }] }] }),
      'test/k', 'metrics[0].overrides[0].customMetric', 'cannot both');
    expectMeshError(() => new Telemetry(chart, 'l', { targetRefs: [], tracing: [{}] }), 'test/l', 'targetRefs', 'empty');
    expectMeshError(() => new Telemetry(chart, 'm', { accessLogging: [{ providers: ['envoy'], filter: ' ' }] }), 'test/m', 'accessLogging[0].filter', 'empty');
  });

  test('disabled access logging needs no provider; an empty tracing entry keeps the mesh defaults', () => {
    const { chart } = newChart();
    new Telemetry(chart, 'quiet', { accessLogging: [{ disabled: true }], tracing: [{}] });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Telemetry', 'quiet').spec).toEqual({ accessLogging: [{ disabled: true }], tracing: [{}] });
    expectSchemaValid(docs);
  });
});
