import { podSecurityViolations } from '../../lib';

/** A Deployment whose pod passes the restricted profile, with `pod` and `container` merged over it. */
function deployment(pod: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{ name: 'api', image: 'api:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...container }],
          ...pod,
        },
      },
    },
  };
}

const SC = 'spec.template.spec.containers[0].securityContext';
const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

describe('Pod Security Standards, restricted profile', () => {
  test('a hardened pod passes; other kinds are ignored', () => {
    expect(podSecurityViolations([deployment(), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' } }, null, 'x'])).toEqual([]);
  });

  test('a container with no security settings fails the four controls that do not depend on the image and runAsNonRoot', () => {
    const doc = deployment({ securityContext: {} }, { securityContext: undefined });
    expect(podSecurityViolations([doc]).map(v => [v.control, v.field])).toEqual([
      ['Privilege Escalation', `${SC}.allowPrivilegeEscalation`],
      ['Running as Non-root', `${SC}.runAsNonRoot`],
      ['Seccomp', `${SC}.seccompProfile.type`],
      ['Capabilities', `${SC}.capabilities.drop`],
    ]);
    expect(podSecurityViolations([doc])[0]).toMatchObject({ resource: 'Deployment/api', namespace: 'shop', container: 'api' });
  });

  test.each<[string, Record<string, unknown>, Record<string, unknown>, string, string]>([
    ['hostNetwork', { hostNetwork: true }, {}, 'Host Namespaces', 'spec.template.spec.hostNetwork'],
    ['a hostPath volume', { volumes: [{ name: 'h', hostPath: { path: '/' } }] }, {}, 'HostPath Volumes', 'spec.template.spec.volumes[0].hostPath'],
    ['a gitRepo volume', { volumes: [{ name: 'g', gitRepo: { repository: 'x' } }] }, {}, 'Volume Types', 'spec.template.spec.volumes[0].gitRepo'],
    ['an unsafe sysctl', { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }, {}, 'Sysctls', 'spec.template.spec.securityContext.sysctls[0].name'],
    ['a privileged container', {}, { securityContext: { ...restricted, privileged: true } }, 'Privileged Containers', `${SC}.privileged`],
    ['a host port', {}, { ports: [{ containerPort: 80, hostPort: 80 }] }, 'Host Ports', 'spec.template.spec.containers[0].ports[0].hostPort'],
    ['an added capability other than NET_BIND_SERVICE', {}, { securityContext: { ...restricted, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_ADMIN'] } } }, 'Capabilities', `${SC}.capabilities.add[1]`],
    ['user 0', {}, { securityContext: { ...restricted, runAsUser: 0 } }, 'Running as Non-root user', `${SC}.runAsUser`],
    ['runAsNonRoot false in the container over true in the pod', {}, { securityContext: { ...restricted, runAsNonRoot: false } }, 'Running as Non-root', `${SC}.runAsNonRoot`],
    ['an Unconfined container seccomp profile', {}, { securityContext: { ...restricted, seccompProfile: { type: 'Unconfined' } } }, 'Seccomp', `${SC}.seccompProfile.type`],
    ['an Unmasked /proc', {}, { securityContext: { ...restricted, procMount: 'Unmasked' } }, '/proc Mount Type', `${SC}.procMount`],
  ])('%s fails its control', (_name, pod, container, control, field) => {
    expect(podSecurityViolations([deployment(pod, container)]).map(v => [v.control, v.field])).toEqual([[control, field]]);
  });

  test('init containers are checked, and a CronJob through its job template; pod-level findings name no container', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { jobTemplate: { spec: { template: deployment({ hostPID: true, initContainers: [{ name: 'init', image: 'x', securityContext: restricted }] }).spec.template } } },
    };
    expect(podSecurityViolations([cron]).map(v => [v.control, v.field, v.container ?? '(pod)', v.namespace])).toEqual([
      ['Host Namespaces', 'spec.jobTemplate.spec.template.spec.hostPID', '(pod)', ''],
    ]);
    const init = deployment({ initContainers: [{ name: 'init', image: 'x' }] });
    expect(podSecurityViolations([init]).filter(v => v.container === 'init').map(v => v.control))
      .toEqual(['Privilege Escalation', 'Capabilities']);
  });
});
