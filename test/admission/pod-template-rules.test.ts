import { FailingCase, deployment, expectAccepted, expectProblemAt, podWith } from './documents';
import { admissionProblems } from '../../lib/admission';

const C = 'spec.template.spec.containers[0]';

const failing: FailingCase[] = [
  { name: 'env var name with "="', doc: deployment(podWith({ env: [{ name: 'DB=HOST', value: 'db' }] })), path: `${C}.env[0].name`, says: '"DB=HOST" is not a valid environment variable name', fix: 'no "="' },
  { name: 'env var name starting with a digit', doc: deployment(podWith({ env: [{ name: '1X', value: 'y' }] })), path: `${C}.env[0].name`, says: 'not a valid environment variable name', fix: 'not starting with a digit' },
  { name: 'volume name with upper case and "_"', doc: deployment(podWith({}, { volumes: [{ name: 'Data_Vol', emptyDir: {} }] })), path: 'spec.template.spec.volumes[0].name', says: 'volume name "Data_Vol" is not a DNS-1123 label', fix: 'lower-case' },
  { name: 'mount of a volume that does not exist', doc: deployment(podWith({ volumeMounts: [{ name: 'cache', mountPath: '/c' }] })), path: `${C}.volumeMounts[0].name`, says: 'no volume named "cache"', fix: 'add a volume named "cache"' },
  { name: 'container name with upper case', doc: deployment({ containers: [{ name: 'App', image: 'nginx' }] }), path: `${C}.name`, says: 'container name "App" is not a DNS-1123 label', fix: 'lower-case' },
  { name: 'two containers with one name', doc: deployment({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }), path: 'spec.template.spec.containers[1].name', says: 'container "a" is defined twice', fix: 'its own name' },
  { name: 'container port 0', doc: deployment(podWith({ ports: [{ containerPort: 0 }] })), path: `${C}.ports[0].containerPort`, says: '0 is not a port number', fix: '1 to 65535' },
  { name: 'container port 70000', doc: deployment(podWith({ ports: [{ containerPort: 70000 }] })), path: `${C}.ports[0].containerPort`, says: '70000 is not a port number', fix: '1 to 65535' },
  { name: 'duplicate container port names', doc: deployment(podWith({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] })), path: `${C}.ports[1].name`, says: 'port name "http" is used twice', fix: 'its own name' },
  { name: 'container port name too long', doc: deployment(podWith({ ports: [{ name: 'http-metrics-port', containerPort: 80 }] })), path: `${C}.ports[0].name`, says: 'not an IANA service name', fix: 'at most 15' },
  { name: 'probe port 0', doc: deployment(podWith({ readinessProbe: { httpGet: { path: '/', port: 0 } } })), path: `${C}.readinessProbe.httpGet.port`, says: '0 is not a port number', fix: '1 to 65535' },
  { name: 'probe on a port name no container port has', doc: deployment(podWith({ livenessProbe: { tcpSocket: { port: 'admin' } } })), path: `${C}.livenessProbe.tcpSocket.port`, says: 'no port of the container is named "admin"', fix: 'name one of the container\'s ports "admin"' },
  { name: 'gRPC probe port out of range', doc: deployment(podWith({ startupProbe: { grpc: { port: 65536 } } })), path: `${C}.startupProbe.grpc.port`, says: '65536 is not a port number', fix: '1 to 65535' },
  { name: 'negative memory request', doc: deployment(podWith({ resources: { requests: { memory: '-1Gi' } } })), path: `${C}.resources.requests.memory`, says: '"-1Gi" is negative', fix: 'request of 0 or more' },
  { name: 'malformed quantity', doc: deployment(podWith({ resources: { limits: { cpu: 'lots' } } })), path: `${C}.resources.limits.cpu`, says: '"lots" is not a Kubernetes quantity', fix: '"100m"' },
  { name: 'cpu request above its limit', doc: deployment(podWith({ resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } })), path: `${C}.resources.requests.cpu`, says: 'the cpu request "2" is above its limit "500m"', fix: 'raise the limit' },
  { name: 'image with a space', doc: deployment(podWith({ image: 'Bad Image' })), path: `${C}.image`, says: 'contains whitespace', fix: 'no spaces' },
  { name: 'image with upper case in the repository', doc: deployment(podWith({ image: 'registry.example.com/Org/App:1.0' })), path: `${C}.image`, says: 'upper case in its repository name', fix: 'lower-case repository' },
  { name: 'image with a malformed digest', doc: deployment(podWith({ image: 'app@sha256:xyz' })), path: `${C}.image`, says: 'malformed digest', fix: 'registry.example.com/org/app:1.0' },
  {
    name: 'image with credentials before the registry',
    doc: deployment(podWith({ image: 'admin:hunter2@registry.example.com/app:1' })),
    path: `${C}.image`,
    says: 'starts with credentials (user:password@)',
    fix: 'registry.example.com/org/app:1.0',
  },
  { name: 'negative replicas', doc: deployment(podWith({}), { replicas: -1 }), path: 'spec.replicas', says: '-1 is not a number of pods', fix: '0 or more' },
  { name: 'pod template label value with a space', doc: { ...deployment(podWith({})), spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'my app' } }, spec: podWith({}) } } }, path: 'spec.template.metadata.labels.app', says: 'label value "my app"', fix: 'at most 63 letters' },
  { name: 'init container env name', doc: deployment(podWith({}, { initContainers: [{ name: 'init', image: 'busybox', env: [{ name: 'A B' }] }] })), path: 'spec.template.spec.initContainers[0].env[0].name', says: '"A B" is not a valid environment variable name', fix: 'no "=" or spaces' },
  { name: 'allowPrivilegeEscalation false in a privileged container', doc: deployment(podWith({ securityContext: { privileged: true, allowPrivilegeEscalation: false } })), path: `${C}.securityContext.allowPrivilegeEscalation`, says: 'cannot be false in a privileged container', fix: 'remove privileged: true' },
  { name: 'allowPrivilegeEscalation false beside the SYS_ADMIN capability', doc: deployment(podWith({ securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } } })), path: `${C}.securityContext.allowPrivilegeEscalation`, says: 'adds the SYS_ADMIN capability', fix: 'drop SYS_ADMIN' },
  { name: 'container without an image', doc: deployment({ containers: [{ name: 'app' }] }), path: `${C}.image`, says: 'the container has no image', fix: 'registry.example.com/org/app:1.0' },
  { name: 'container with an empty image', doc: deployment(podWith({ image: '' })), path: `${C}.image`, says: 'the container has no image', fix: 'image reference' },
  { name: 'one path mounted twice', doc: deployment(podWith({ volumeMounts: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] }, { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }] })), path: `${C}.volumeMounts[1].mountPath`, says: '"/data" is mounted twice in the container', fix: 'a path of its own' },
  { name: 'exec probe without a command', doc: deployment(podWith({ livenessProbe: { exec: { command: [] } } })), path: `${C}.livenessProbe.exec.command`, says: 'the exec probe has no command', fix: '["cat", "/tmp/healthy"]' },
  { name: 'secretKeyRef to an invalid Secret name', doc: deployment(podWith({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'My_Secret', key: 'password' } } }] })), path: `${C}.env[0].valueFrom.secretKeyRef.name`, says: '"My_Secret" is not the name of a Secret', fix: 'DNS-1123 subdomain' },
  { name: 'secretKeyRef with an empty key', doc: deployment(podWith({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: '' } } }] })), path: `${C}.env[0].valueFrom.secretKeyRef.key`, says: '"" is not a key of a Secret', fix: 'letters, digits' },
  { name: 'configMapKeyRef key with a slash', doc: deployment(podWith({ env: [{ name: 'C', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a/b' } } }] })), path: `${C}.env[0].valueFrom.configMapKeyRef.key`, says: '"a/b" is not a key of a ConfigMap', fix: 'letters, digits' },
  { name: 'fieldRef to a field env vars cannot read', doc: deployment(podWith({ env: [{ name: 'F', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } }] })), path: `${C}.env[0].valueFrom.fieldRef.fieldPath`, says: '"spec.nope" is not a field an env var can read', fix: 'status.podIP' },
  { name: 'pod template annotations over 256 KiB', doc: { ...deployment(podWith({})), spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' }, annotations: { note: 'x'.repeat(300 * 1024) } }, spec: podWith({}) } } }, path: 'spec.template.metadata.annotations', says: 'the annotations total 307204 bytes, more than the API server\'s 262144', fix: 'ConfigMap' },
];

describe('pod template rules (the API server\'s pod validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('a complete, valid pod template passes', () => {
    expectAccepted(deployment(podWith({
      image: 'registry:5000/org/app:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      env: [{ name: 'DB_HOST', value: 'db' }, { name: 'my.dotted-name', value: 'x' },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db.credentials', key: 'password_1' } } }],
      ports: [{ name: 'http', containerPort: 8080 }, { name: 'grpc-api', containerPort: 9090 }],
      volumeMounts: [{ name: 'data-vol', mountPath: '/data' }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 8080 } },
      startupProbe: { grpc: { port: 9090 } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '1Gi' } },
    }, { volumes: [{ name: 'data-vol', emptyDir: {} }] }), { replicas: 0 }));
  });

  test('images Docker accepts pass: short names, library images, localhost and IP registries, tags with dots', () => {
    for (const image of ['nginx', 'redis:7.2', 'docker.io/library/postgres:16-alpine', 'localhost:5000/a/b_c__d:v1.0', '10.0.0.1:5000/app', 'quay.io/org/app-x.y']) {
      expectAccepted(deployment(podWith({ image })));
    }
  });

  test('a Pod is checked like a pod template, and a CronJob through its job template', () => {
    expectProblemAt({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podWith({ env: [{ name: 'A=B' }] }) }, 'spec.containers[0].env[0].name', 'not a valid environment variable name', 'no "="');
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podWith({ image: 'A B' }) } } } } };
    expectProblemAt(cronJob, 'spec.jobTemplate.spec.template.spec.containers[0].image', 'contains whitespace', 'no spaces');
  });

  test('problems on built-in kinds are reported with source kubernetes', () => {
    expect(admissionProblems(deployment(podWith({ image: 'A B' })))[0].source).toBe('kubernetes');
  });
});
