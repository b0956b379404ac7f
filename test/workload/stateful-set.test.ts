import { MeshService, PortProtocol, WorkloadKind } from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, newChart, ofKind } from '../support/constructs';

const IMAGE = 'redis:7.2-alpine';

describe('StatefulSets', () => {
  test('kind STATEFUL_SET writes a StatefulSet with claim templates mounted into the container, and its headless Service', () => {
    const { chart } = newChart();
    const redis = new MeshService(chart, 'redis-cart', {
      ports: [{ port: 6379, protocol: PortProtocol.REDIS }],
      workload: {
        image: IMAGE,
        kind: WorkloadKind.STATEFUL_SET,
        volumes: [{ name: 'tmp', mountPath: '/tmp' }],
        volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1Gi', storageClassName: 'standard-rwo' }],
      },
    });
    const docs = docsOf(chart);
    expectSchemaValid(docs);
    expect(ofKind(docs, 'Deployment')).toEqual([]);
    const sts = findDoc(docs, 'StatefulSet', 'redis-cart');
    expect(sts.apiVersion).toBe('apps/v1');
    expect(redis.deployment()).toBeDefined();
    expect(sts.spec.serviceName).toBe('redis-cart-headless');
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'redis-cart' } });
    expect(sts.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }]);
    expect(sts.spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard-rwo', resources: { requests: { storage: '1Gi' } } },
    }]);
    const headless = findDoc(docs, 'Service', 'redis-cart-headless');
    expect(headless.spec).toEqual({ clusterIP: 'None', ports: [{ port: 6379, name: 'redis' }], selector: { app: 'redis-cart' } });
    expect(findDoc(docs, 'Service', 'redis-cart').spec).not.toHaveProperty('clusterIP');
  });

  test('versions of a stateful service share one headless Service', () => {
    const { chart } = newChart();
    const stateful = { image: IMAGE, kind: WorkloadKind.STATEFUL_SET };
    new MeshService(chart, 'db', { ports: [{ port: 5432, protocol: PortProtocol.TCP }], versions: { v1: stateful, v2: stateful } });
    const docs = docsOf(chart);
    expect(ofKind(docs, 'StatefulSet').map(d => [d.metadata.name, d.spec.serviceName])).toEqual([['db-v1', 'db-headless'], ['db-v2', 'db-headless']]);
    expect(ofKind(docs, 'Service').map(d => d.metadata.name)).toEqual(['db', 'db-headless']);
  });

  test.each<[string, Record<string, unknown>, string, ...string[]]>([
    ['claims on a Deployment', { volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1Gi' }] }, 'workload.volumeClaims',
      'only a StatefulSet', 'kind: WorkloadKind.STATEFUL_SET'],
    ['a claim named like a volume', {
      kind: WorkloadKind.STATEFUL_SET,
      volumes: [{ name: 'data', mountPath: '/x' }],
      volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1Gi' }],
    }, 'workload.volumeClaims[0].name', 'names another volume'],
    ['a storage that is no quantity', { kind: WorkloadKind.STATEFUL_SET, volumeClaims: [{ name: 'data', mountPath: '/data', storage: '1 GB' }] },
      'workload.volumeClaims[0].storage', 'is not a storage quantity'],
  ])('%s is refused', (_name, props, field, ...fragments) => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'redis', { ports: [{ port: 6379, protocol: PortProtocol.REDIS }], workload: { image: IMAGE, ...props } }),
      'test/redis', field, ...fragments);
  });
});
