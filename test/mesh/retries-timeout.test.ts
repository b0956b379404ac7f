import { App, Chart, Duration } from 'cdk8s';
import { MeshNamespace, MeshService, RetryOn, RetryPolicy, VirtualService, analyze, formatMessage, writeManifests } from '../../lib';
import { temporaryFolder } from '../support/temporary-folders';

/** Synthesizes a mesh with one route of `cart` (timeout and retries as given); returns the findings and what was printed. */
function synthWith(timeout: Duration | undefined, retries: RetryPolicy | undefined): { messages: string[]; printed: string } {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const svc = new MeshService(chart, 'cart', { port: 7070, versions: { v1: { image: 'example/cart:1' } } });
  new VirtualService(chart, 'vs', { hosts: [svc], http: [{ to: [svc.version('v1')], timeout, retries }] });
  const written: string[] = [];
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    written.push(String(chunk));
    return true;
  });
  try {
    const { messages } = writeManifests(app, { outdir: temporaryFolder('cdk8s-istio-retries-') });
    return { messages: messages.map(formatMessage), printed: written.join('') };
  } finally {
    stderr.mockRestore();
  }
}

/** The CDK0003 messages of one VirtualService document with `http[0]` as given. */
function cdk0003(rule: object): string[] {
  const doc = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'vs', namespace: 'shop' },
    spec: { hosts: ['cart.example.com'], http: [{ route: [{ destination: { host: 'cart.example.com' } }], ...rule }] },
  };
  return analyze([doc]).filter(m => m.code === 'CDK0003').map(m => `${m.field}: ${m.message}`);
}

describe('CDK0003: retries that cannot fit the route timeout', () => {
  test('a Warning at synth names the numbers and the fixes, is printed, and does not fail the synth', () => {
    const { messages, printed } = synthWith(Duration.seconds(5),
      { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.UNAVAILABLE] });
    const expected = 'Warning [CDK0003] (VirtualService shop/vs) Retries cannot fit the route timeout: the first try and 3 retries of '
      + 'up to 2s each take up to 8s, more than the timeout 5s, so the last retries are cut off. Lower attempts to 1, lower '
      + 'perTryTimeout to 1250ms, or raise the timeout to 8s. [spec.http[0].retries, construct shop/vs]';
    expect(messages).toEqual([expected]);
    expect(printed).toContain(expected);
  });

  test('the first try and every retry fitting exactly is fine, and so are routes without timeout or perTryTimeout', () => {
    expect(synthWith(Duration.seconds(3), { attempts: 2, perTryTimeout: Duration.seconds(1) }).messages).toEqual([]);
    expect(synthWith(undefined, { attempts: 5, perTryTimeout: Duration.seconds(2) }).messages).toEqual([]);
    expect(synthWith(Duration.seconds(1), { attempts: 5 }).messages).toEqual([]);
    expect(synthWith(Duration.seconds(1), undefined).messages).toEqual([]);
  });

  test('when even two tries cannot fit, only the perTryTimeout and timeout fixes are offered', () => {
    expect(cdk0003({ timeout: '1s', retries: { attempts: 1, perTryTimeout: '800ms' } })).toEqual([
      'spec.http[0].retries: Retries cannot fit the route timeout: the first try and 1 retry of up to 800ms each take up to 1600ms, '
      + 'more than the timeout 1s, so the last retries are cut off. Lower perTryTimeout to 500ms, or raise the timeout to 1600ms.',
    ]);
  });

  test('Go duration forms (1m, 1.5s, 1m30s) in YAML are read', () => {
    expect(cdk0003({ timeout: '1m', retries: { attempts: 2, perTryTimeout: '30s' } })).toHaveLength(1);
    expect(cdk0003({ timeout: '1m30s', retries: { attempts: 2, perTryTimeout: '30s' } })).toEqual([]);
    expect(cdk0003({ timeout: '4s', retries: { attempts: 2, perTryTimeout: '1.5s' } })).toHaveLength(1);
  });

  test('disabled retries, a 0s (no) timeout and unreadable durations are not reported', () => {
    expect(cdk0003({ timeout: '1s', retries: { attempts: 0 } })).toEqual([]);
    expect(cdk0003({ timeout: '0s', retries: { attempts: 3, perTryTimeout: '2s' } })).toEqual([]);
    expect(cdk0003({ timeout: 'soon', retries: { attempts: 3, perTryTimeout: '2s' } })).toEqual([]);
  });
});
