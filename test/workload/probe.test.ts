import { Duration } from 'cdk8s';
import { MeshService, PortProtocol, Probe, ProbeScheme } from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, newChart } from '../support/constructs';

const IMAGE = 'registry.example.com/cart:1.0';

/** The main container of `cart-v1` for a cart service with a gRPC port 7070 and an admin HTTP port 9090. */
function cartContainer(version: Record<string, unknown>): any {
  const { chart } = newChart();
  new MeshService(chart, 'cart', {
    ports: [{ port: 7070, protocol: PortProtocol.GRPC }, { port: 9090, targetPort: 9091, name: 'http-admin' }],
    versions: { v1: { image: IMAGE, ...version } },
  });
  const docs = docsOf(chart);
  expectSchemaValid(docs);
  return findDoc(docs, 'Deployment', 'cart-v1').spec.template.spec.containers[0];
}

describe('Probe', () => {
  test('Probe.grpc writes the kubelet gRPC health check, with the health service name when given', () => {
    const c = cartContainer({
      readinessProbe: Probe.grpc(7070, { period: Duration.seconds(5), successThreshold: 2 }),
      livenessProbe: Probe.grpc(7070, { service: 'shop.v1.CartService', failureThreshold: 5 }),
      startupProbe: Probe.grpc('grpc', { failureThreshold: 30, period: Duration.seconds(2) }),
    });
    expect(c.readinessProbe).toEqual({ grpc: { port: 7070 }, periodSeconds: 5, successThreshold: 2 });
    expect(c.livenessProbe).toEqual({ grpc: { port: 7070, service: 'shop.v1.CartService' }, failureThreshold: 5 });
    expect(c.startupProbe).toEqual({ grpc: { port: 7070 }, failureThreshold: 30, periodSeconds: 2 });
  });

  test('Probe.httpGet takes headers, HTTPS and a service port name (written as its container port)', () => {
    const c = cartContainer({
      readinessProbe: Probe.httpGet('/ready', 'http-admin', { httpHeaders: { 'x-probe': 'kubelet', 'Cookie': 'shop_session-id=x-liveness-probe' } }),
      livenessProbe: Probe.httpGet('/live', 9443, { scheme: ProbeScheme.HTTPS, timeout: Duration.seconds(2) }),
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 9091, httpHeaders: [{ name: 'x-probe', value: 'kubelet' }, { name: 'Cookie', value: 'shop_session-id=x-liveness-probe' }] },
    });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/live', port: 9443, scheme: 'HTTPS' }, timeoutSeconds: 2 });
  });

  test('Probe.tcpSocket by name, and ProbeScheme.HTTP is left to the Kubernetes default', () => {
    const c = cartContainer({
      readinessProbe: Probe.tcpSocket('grpc'),
      livenessProbe: Probe.httpGet('/live', 9091, { scheme: ProbeScheme.HTTP }),
    });
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 7070 } });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/live', port: 9091 } });
  });

  test.each<[string, Record<string, unknown>, string, ...string[]]>([
    ['a port out of range', { readinessProbe: Probe.grpc(70000) }, 'versions.v1.readinessProbe.port', '70000 is not a port number'],
    ['an unknown port name', { readinessProbe: Probe.tcpSocket('metrics') }, 'versions.v1.readinessProbe.port',
      '"metrics" is not the name of a port of this container', 'use one of grpc, http-admin'],
    ['a successThreshold of 0', { readinessProbe: Probe.grpc(7070, { successThreshold: 0 }) }, 'versions.v1.readinessProbe.successThreshold',
      '0 is not a positive integer'],
    ['a liveness successThreshold above 1', { livenessProbe: Probe.grpc(7070, { successThreshold: 2 }) },
      'versions.v1.livenessProbe.successThreshold', 'Kubernetes requires 1 for a liveness probe', 'only a readiness probe'],
    ['a startup successThreshold above 1', { startupProbe: Probe.tcpSocket(7070, { successThreshold: 3 }) },
      'versions.v1.startupProbe.successThreshold', 'Kubernetes requires 1 for a startup probe'],
    ['a failureThreshold of 1.5', { livenessProbe: Probe.grpc(7070, { failureThreshold: 1.5 }) }, 'versions.v1.livenessProbe.failureThreshold',
      '1.5 is not a positive integer'],
    ['a header name with a space', { readinessProbe: Probe.httpGet('/ready', 9091, { httpHeaders: { 'x probe': '1' } }) },
      'versions.v1.readinessProbe.httpHeaders.x probe', 'is not a valid HTTP header name'],
    ['a header value with a line break', { readinessProbe: Probe.httpGet('/ready', 9091, { httpHeaders: { 'x-probe': 'a\nb' } }) },
      'versions.v1.readinessProbe.httpHeaders.x-probe', 'line break'],
    ['a relative path', { readinessProbe: Probe.httpGet('ready', 9091) }, 'versions.v1.readinessProbe.path', 'is not an absolute path'],
    ['a fractional period', { readinessProbe: Probe.grpc(7070, { period: Duration.millis(1500) }) }, 'versions.v1.readinessProbe.period',
      '1.5s is not a whole number of seconds'],
  ])('%s is refused', (_name, version, field, ...fragments) => {
    expectMeshError(() => cartContainer(version), 'test/cart', field, ...fragments);
  });
});
