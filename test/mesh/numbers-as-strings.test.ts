import { DestinationRule, MeshService, Telemetry, VirtualService } from '../../lib';
import { expectMeshError, newChart } from '../support/constructs';

// A JavaScript caller (or a cast) that passes a number as a string gets "must be a number, not "5"",
// not a message that reads as if the number itself were wrong ("5 is out of range").
describe('numbers given as strings', () => {
  const setup = () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: 'a' }, v2: { image: 'b' } } });
    return { chart, svc };
  };
  const text = (value: string) => value as unknown as number;

  test('a DestinationRule limit', () => {
    const { chart } = setup();
    expectMeshError(() => new DestinationRule(chart, 'dr', { host: 'reviews', trafficPolicy: { outlierDetection: { consecutive5xxErrors: text('5') } } }),
      'test/dr', 'trafficPolicy.outlierDetection.consecutive5xxErrors', 'must be a number, not "5"', 'use an integer from 0 to');
  });

  test('a route weight, retry attempts and a mirror percentage', () => {
    const { chart, svc } = setup();
    expectMeshError(() => new VirtualService(chart, 'a', { hosts: [svc], http: [{ to: [svc.version('v1').withWeight(text('90')), svc.version('v2')] }] }),
      'test/a', 'http[0].route[0].weight', 'must be a number, not "90"');
    expectMeshError(() => new VirtualService(chart, 'b', { hosts: [svc], http: [{ to: [svc.version('v1')], retries: { attempts: text('3') } }] }),
      'test/b', 'http[0].retries.attempts', 'must be a number, not "3"');
    expectMeshError(() => new VirtualService(chart, 'c', {
      hosts: [svc], http: [{ to: [svc.version('v1')], mirror: svc.version('v2'), mirrorPercentage: text('20') }],
    }), 'test/c', 'http[0].mirrorPercentage', 'must be a number, not "20"');
  });

  test('replicas and a tracing sampling percentage', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'web', { port: 8080, versions: { v1: { image: 'web:1', replicas: text('2') } } }),
      'test/web', 'versions.v1.replicas', 'must be a number, not "2"');
    expectMeshError(() => new Telemetry(chart, 't', { tracing: [{ randomSamplingPercentage: text('10') }] }),
      'test/t', 'tracing[0].randomSamplingPercentage', 'must be a number, not "10"');
  });
});
