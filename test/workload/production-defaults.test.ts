import { Duration } from 'cdk8s';
import { DEFAULT_REQUESTS, MeshService, MeshServiceProps, WorkloadKind, podSecurityViolations } from '../../lib';
import { Doc, docsOf, expectSchemaValid, findDoc, newChart } from '../support/constructs';

const IMAGE = 'registry.example.com/api:1.0';

/** The pod spec of the workload `api-v1` (Deployment or StatefulSet) built with `props`, every document schema-checked. */
function podOf(props: Partial<MeshServiceProps> = {}, version: Record<string, unknown> = {}): Doc {
  const { chart } = newChart();
  new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: IMAGE, ...version } }, ...props });
  const docs = docsOf(chart);
  expectSchemaValid(docs);
  const workload = docs.find(d => ['Deployment', 'StatefulSet'].includes(d.kind) && d.metadata.name === 'api-v1');
  expect(workload).toBeDefined();
  return workload!.spec.template.spec;
}

describe('production defaults of the pods and containers a MeshService builds', () => {
  test('with no settings: no token mount, RuntimeDefault seccomp, no escalation, no capabilities, requests for the scheduler', () => {
    const pod = podOf();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
    expect(DEFAULT_REQUESTS).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  test('the only restricted-profile control left is runAsNonRoot, which depends on the image; setting it passes the profile', () => {
    const { chart } = newChart();
    new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: IMAGE } } });
    expect(podSecurityViolations(docsOf(chart)).map(v => `${v.container}: ${v.control}`)).toEqual(['api: Running as Non-root']);
    const { chart: hardened } = newChart();
    new MeshService(hardened, 'api', { port: 8080, defaults: { podSecurityContext: { runAsNonRoot: true, runAsUser: 10001 } }, versions: { v1: { image: IMAGE } } });
    expect(podSecurityViolations(docsOf(hardened))).toEqual([]);
  });

  test('a container listening below port 1024 keeps NET_BIND_SERVICE, the one capability the restricted profile allows', () => {
    const { chart } = newChart();
    new MeshService(chart, 'web', { ports: [{ port: 8080, targetPort: 80 }], versions: { v1: { image: IMAGE } } });
    const c = findDoc(docsOf(chart), 'Deployment', 'web-v1').spec.template.spec.containers[0];
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(podSecurityViolations(docsOf(chart)).map(v => v.control)).toEqual(['Running as Non-root']);
  });

  test('each field a version sets replaces the default of that name, the others stay', () => {
    const pod = podOf({}, {
      securityContext: { capabilities: {}, readOnlyRootFilesystem: true },
      podSecurityContext: { fsGroup: 2000 },
      automountServiceAccountToken: true,
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 2000 });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: {}, readOnlyRootFilesystem: true });
    expect(podOf({}, { podSecurityContext: { seccompProfile: { type: 'Unconfined' } } }).securityContext)
      .toEqual({ seccompProfile: { type: 'Unconfined' } });
  });

  test('requests: a resource set in requests or limits gets no default (Kubernetes requests the limit), the other one does', () => {
    expect(podOf({}, { requests: { cpu: '1' } }).containers[0].resources).toEqual({ requests: { cpu: '1', memory: '128Mi' } });
    expect(podOf({}, { limits: { memory: '64Mi' } }).containers[0].resources)
      .toEqual({ requests: { cpu: '100m' }, limits: { memory: '64Mi' } });
    expect(podOf({}, { limits: { cpu: '50m', memory: '64Mi' } }).containers[0].resources).toEqual({ limits: { cpu: '50m', memory: '64Mi' } });
  });

  test('a privileged container gets no allowPrivilegeEscalation default, which the API server would refuse beside it', () => {
    const pod = podOf({}, { securityContext: { privileged: true } });
    expect(pod.containers[0].securityContext).toEqual({ capabilities: { drop: ['ALL'] }, privileged: true });
    const sysAdmin = podOf({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } });
    expect(sysAdmin.containers[0].securityContext).toEqual({ capabilities: { add: ['SYS_ADMIN'] } });
  });

  test('init and additional containers, service-wide defaults and StatefulSets get the same defaults', () => {
    const pod = podOf({
      defaults: { terminationGracePeriod: Duration.seconds(10), initContainers: [{ name: 'migrate', image: IMAGE }] },
      versions: { v1: { image: IMAGE, kind: WorkloadKind.STATEFUL_SET, additionalContainers: [{ name: 'shipper', image: IMAGE, ports: [{ port: 514 }] }] } },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect({ name: c.name, requests: c.resources.requests, escalation: c.securityContext.allowPrivilegeEscalation })
        .toEqual({ name: c.name, requests: DEFAULT_REQUESTS, escalation: false });
    }
    expect(pod.containers[1].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });
});
