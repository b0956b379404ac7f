import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubeConfigMap, KubeDeployment, KubeDeploymentProps, KubeStatefulSet } from 'cdk8s-plus-28/lib/imports/k8s';
import {
  Destination, MeshService, PortProtocol, ServiceAccountRef, VirtualService, WorkloadRef, synthesize,
} from '../../lib';
import { docsOf, expectMeshError, expectSchemaValid, findDoc, newChart, ofKind } from '../support/constructs';

/** A raw Deployment as an existing manifest has it: its own labels, selector and pod template. */
function rawDeployment(chart: Chart, name: string, props: {
  selector?: Record<string, string>; labels?: Record<string, string>; serviceAccountName?: string;
} = {}): KubeDeployment {
  const labels = props.labels ?? { app: name, tier: 'web' };
  const spec: KubeDeploymentProps = {
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: props.selector ?? { app: name } },
      template: {
        metadata: { labels },
        spec: {
          ...(props.serviceAccountName !== undefined && { serviceAccountName: props.serviceAccountName }),
          containers: [{ name: 'server', image: `registry.example.com/${name}:1.0`, ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  };
  return new KubeDeployment(chart, `${name}-deployment`, spec);
}

describe('bring your own workload', () => {
  test('a cdk8s-plus Deployment joins through its API object; its own selector label stays, the service selects app', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const plus = new kplus.Deployment(chart, 'search-deployment', {
      metadata: { name: 'search' },
      containers: [{ name: 'search', image: 'registry.example.com/search:3.1', portNumber: 8080, securityContext: { user: 1000 } }],
    });
    const search = new MeshService(chart, 'search', { port: 8080, workload: WorkloadRef.existing(plus) });
    const caller = new MeshService(chart, 'web', { port: 8080, workload: { image: 'registry.example.com/web:1.0' } });
    search.allowFrom(caller);
    const docs = [...synthesize(app).documents.get(chart)!].map(d => d.doc) as any[];
    expectSchemaValid(docs);
    const d = findDoc(docs, 'Deployment', 'search');
    expect(d.spec.template.metadata.labels).toEqual({ ...d.spec.selector.matchLabels, app: 'search' });
    expect(d.spec.template.spec.serviceAccountName).toBe('search');
    expect(findDoc(docs, 'Service', 'search').spec.selector).toEqual({ app: 'search' });
    expect(findDoc(docs, 'AuthorizationPolicy', 'search-allow').spec.selector).toEqual({ matchLabels: { app: 'search' } });
  });

  test('a construct with no API object is refused with the fix', () => {
    const { chart } = newChart();
    expectMeshError(() => WorkloadRef.existing(new Chart(chart, 'nested')), 'test/nested', 'workload',
      'neither an ApiObject nor a construct with one', 'cdk8s-plus Deployment');
  });

  test('a raw Deployment gets the Service, ServiceAccount, app label and serviceAccountName; routes and policies work on it', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const kube = rawDeployment(chart, 'frontend');
    const frontend = new MeshService(chart, 'frontend', {
      ports: [{ port: 80, targetPort: 8080 }, { port: 9090, protocol: PortProtocol.GRPC }],
      workload: WorkloadRef.existing(kube),
    });
    const caller = new MeshService(chart, 'loadgen', { ports: [], workload: { image: 'registry.example.com/loadgen:1.0' } });
    new VirtualService(chart, 'frontend-route', { hosts: [frontend], http: [{ to: [Destination.toService(frontend, { port: 80 })] }] });
    frontend.allowFrom(caller, { ports: [80] });

    expect(frontend.deployment()).toBe(kube);
    const docs = [...synthesize(app).documents.get(chart)!].map(d => d.doc) as any[];
    expectSchemaValid(docs);
    expect(ofKind(docs, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['frontend', 'loadgen']);
    const d = findDoc(docs, 'Deployment', 'frontend');
    expect(d.spec.template.metadata.labels).toEqual({ app: 'frontend', tier: 'web' });
    expect(d.spec.template.spec.serviceAccountName).toBe('frontend');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'frontend' } }); // left as written: a selector cannot change
    expect(d.spec.replicas).toBe(2);
    const svc = findDoc(docs, 'Service', 'frontend');
    expect(svc.spec.selector).toEqual({ app: 'frontend' });
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'grpc', port: 9090 },
    ]);
    expect(findDoc(docs, 'ServiceAccount', 'frontend').metadata.labels).toEqual({ account: 'frontend' });
    expect(findDoc(docs, 'VirtualService', 'frontend-route').spec.http[0].route)
      .toEqual([{ destination: { host: 'frontend', port: { number: 80 } } }]);
    const policy = findDoc(docs, 'AuthorizationPolicy', 'frontend-allow');
    expect(policy.spec.selector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(policy.spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/loadgen'] } }],
      to: [{ operation: { ports: ['8080'] } }],
    }]);
  });

  test('a raw StatefulSet as a version gets the version label; a route to the version makes its subset; an existing ServiceAccount is kept', () => {
    const { chart } = newChart();
    const kube = new KubeStatefulSet(chart, 'redis-sts', {
      metadata: { name: 'redis' },
      spec: {
        serviceName: 'redis-headless',
        selector: { matchLabels: { app: 'redis', version: 'v1' } },
        template: {
          metadata: { labels: { version: 'v1' } },
          spec: { serviceAccountName: 'cache-sa', containers: [{ name: 'redis', image: 'redis:7.2' }] },
        },
      },
    });
    const redis = new MeshService(chart, 'redis', {
      ports: [{ port: 6379, protocol: PortProtocol.REDIS }],
      serviceAccount: ServiceAccountRef.existing('cache-sa'),
      versions: { v1: WorkloadRef.existing(kube), v2: { image: 'redis:7.4' } },
    });
    new VirtualService(chart, 'redis-route', { hosts: [redis], tcp: [{ to: [redis.version('v1')] }] });

    const docs = docsOf(chart);
    expectSchemaValid(docs);
    const sts = findDoc(docs, 'StatefulSet', 'redis');
    expect(sts.spec.template.metadata.labels).toEqual({ app: 'redis', version: 'v1' });
    expect(sts.spec.template.spec.serviceAccountName).toBe('cache-sa');
    expect(findDoc(docs, 'Deployment', 'redis-v2').spec.template.spec.serviceAccountName).toBe('cache-sa');
    expect(ofKind(docs, 'ServiceAccount')).toEqual([]);
    expect(ofKind(docs, 'Service').map(s => s.metadata.name)).toEqual(['redis']); // the StatefulSet's own headless Service is the user's
    expect(findDoc(docs, 'DestinationRule', 'redis').spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);
    expect(redis.deployment('v1')).toBe(kube);
  });

  test('a pod template without metadata gets the labels', () => {
    const { chart } = newChart();
    const kube = new ApiObject(chart, 'worker-deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker' },
      spec: {
        selector: { matchLabels: { app: 'worker' } },
        template: { spec: { containers: [{ name: 'worker', image: 'registry.example.com/worker:1.0' }] } },
      },
    });
    new MeshService(chart, 'worker', { ports: [], workload: WorkloadRef.existing(kube) });
    expect(findDoc(docsOf(chart), 'Deployment', 'worker').spec.template.metadata).toEqual({ labels: { app: 'worker' } });
  });

  describe('refusals', () => {
    test('an empty selector, which the API server refuses', () => {
      const { chart } = newChart();
      const kube = new ApiObject(chart, 'worker-deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'worker' },
        spec: { selector: {}, template: { spec: { containers: [{ name: 'worker', image: 'registry.example.com/worker:1.0' }] } } },
      });
      expectMeshError(() => new MeshService(chart, 'worker', { ports: [], workload: WorkloadRef.existing(kube) }),
        'test/worker', 'workload.spec.selector', 'the workload\'s selector is empty, which the API server refuses', 'matchLabels: { app: worker }');
    });

    test('a kind other than Deployment or StatefulSet', () => {
      const { chart } = newChart();
      const map = new KubeConfigMap(chart, 'settings', { data: { a: 'b' } });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(map) }),
        'test/web', 'workload', 'is a v1 ConfigMap, not a Deployment or StatefulSet', 'enroll an apps/v1 Deployment or StatefulSet');
    });

    test('pods labelled with another app', () => {
      const { chart } = newChart();
      const kube = rawDeployment(chart, 'web', { labels: { app: 'legacy' }, selector: { app: 'legacy' } });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(kube) }),
        'test/web', 'workload.spec.template.metadata.labels.app', 'labelled app: legacy, and the service needs app: web',
        'remove the "app" label');
    });

    test('pods labelled with another version', () => {
      const { chart } = newChart();
      const kube = rawDeployment(chart, 'web', { labels: { app: 'web', version: 'v2' }, selector: { app: 'web', version: 'v2' } });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, versions: { v1: WorkloadRef.existing(kube) } }),
        'test/web', 'versions.v1.spec.template.metadata.labels.version', 'labelled version: v2, and the service needs version: v1');
    });

    test('a selector the pods do not match', () => {
      const { chart } = newChart();
      const kube = rawDeployment(chart, 'web', { labels: { tier: 'web' }, selector: { app: 'legacy' } });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(kube) }),
        'test/web', 'workload.spec.selector.matchLabels.app', 'the selector needs app: legacy, and the pods are labelled app: web',
        'select the pods by labels they carry');
    });

    test('a version whose selector does not pick the version', () => {
      const { chart } = newChart();
      const kube = rawDeployment(chart, 'web');
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, versions: { v1: WorkloadRef.existing(kube) } }),
        'test/web', 'versions.v1.spec.selector.matchLabels.version', 'would also select the pods of the service\'s other versions',
        'add version: v1 to the workload\'s selector');
    });

    test('pods running as another ServiceAccount', () => {
      const { chart } = newChart();
      const kube = rawDeployment(chart, 'web', { serviceAccountName: 'legacy-sa' });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(kube) }),
        'test/web', 'workload.spec.template.spec.serviceAccountName', 'run as ServiceAccount "legacy-sa"',
        "serviceAccount: ServiceAccountRef.existing('legacy-sa')");
    });

    test('a workload in another namespace', () => {
      const { app, chart } = newChart();
      const other = new Chart(app, 'other', { namespace: 'legacy' });
      const kube = rawDeployment(other, 'web');
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(kube) }),
        'test/web', 'workload.metadata.namespace', 'runs in namespace "legacy", the service in "shop"');
    });

    test('a workload without a pod template', () => {
      const { chart } = newChart();
      const kube = new ApiObject(chart, 'empty', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'empty' } });
      expectMeshError(() => new MeshService(chart, 'web', { port: 80, workload: WorkloadRef.existing(kube) }),
        'test/web', 'workload.spec.template.spec', 'the workload has no pod template');
    });

    test('a workload enrolled twice', () => {
      const { chart } = newChart();
      const kube = new KubeDeployment(chart, 'web-deployment', {
        spec: {
          selector: { matchLabels: { app: 'web', version: 'v1' } },
          template: { metadata: { labels: { app: 'web', version: 'v1' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
        },
      });
      const web = new MeshService(chart, 'web', { port: 80, versions: { v1: WorkloadRef.existing(kube) } });
      expectMeshError(() => web.addVersion('v2', WorkloadRef.existing(kube)), 'test/web', 'versions.v2', 'is already enrolled into a service');
    });
  });
});
