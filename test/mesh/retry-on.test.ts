import { Duration } from 'cdk8s';
import { MeshService, RetryOn, RetryPolicy, VirtualService } from '../../lib';
import { RETRY_ON_POLICIES, invalidRetryOn } from '../../lib/core/retry-on';
import { docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

/** The rendered `retries` of a route of `cart` with `retries`, or what the construct threw. */
function retriesOf(retries: RetryPolicy): any {
  const { chart } = newChart();
  const svc = new MeshService(chart, 'cart', { port: 7070, versions: { v1: { image: 'cart:1' } } });
  new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], timeout: Duration.seconds(10), retries }] });
  return findDoc(docsOf(chart), 'VirtualService', 'vs').spec.http[0].retries;
}

describe('retryOn', () => {
  test('typed gRPC and HTTP conditions, raw names and status codes render comma-joined in order', () => {
    expect(retriesOf({
      attempts: 3,
      perTryTimeout: Duration.seconds(2),
      retryOn: [RetryOn.UNAVAILABLE, RetryOn.DEADLINE_EXCEEDED, RetryOn.RESOURCE_EXHAUSTED, RetryOn.CANCELLED, RetryOn.INTERNAL,
        RetryOn.GATEWAY_ERROR, 'reset-before-request', '503'],
    })).toEqual({
      attempts: 3,
      perTryTimeout: '2s',
      retryOn: 'unavailable,deadline-exceeded,resource-exhausted,cancelled,internal,gateway-error,reset-before-request,503',
    });
  });

  test('RetryOn lists exactly the conditions Istio accepts: Envoy\'s x-envoy-retry-on and x-envoy-retry-grpc-on', () => {
    expect([...RETRY_ON_POLICIES]).toEqual([
      '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
      'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
      'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
    ]);
    expect(Object.values(RetryOn).flatMap(v => invalidRetryOn(v))).toEqual([]);
  });

  test('a raw string that is no condition names the entry and lists the valid ones', () => {
    expectMeshError(() => retriesOf({ attempts: 2, retryOn: ['5xx', 'unavailble'] }), 'test/vs', 'http[0].retries.retryOn[1]',
      '"unavailble" is not a retry condition Istio accepts', 'use a RetryOn value (5xx, gateway-error,', 'unavailable)', "'503'");
  });

  test('spaces, upper case gRPC names and unknown status codes are refused', () => {
    expectMeshError(() => retriesOf({ attempts: 2, retryOn: [' 5xx'] }), 'test/vs', 'http[0].retries.retryOn[0]', '" 5xx"');
    expectMeshError(() => retriesOf({ attempts: 2, retryOn: ['UNAVAILABLE'] }), 'test/vs', 'http[0].retries.retryOn[0]', '"UNAVAILABLE"');
    expectMeshError(() => retriesOf({ attempts: 2, retryOn: ['599'] }), 'test/vs', 'http[0].retries.retryOn[0]', '"599"');
  });
});
