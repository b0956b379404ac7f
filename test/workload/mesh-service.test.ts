import { Duration } from 'cdk8s';
import { DEFAULT_REQUESTS, EnvValue, MeshService, PortProtocol, Probe, VolumeSource } from '../../lib';
import { Doc, ofKind, docsOf, expectMeshError, findDoc, newChart } from '../support/constructs';

const IMAGE = 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.3';

function container(deployment: Doc): any {
  expect(deployment.spec.template.spec.containers).toHaveLength(1);
  return deployment.spec.template.spec.containers[0];
}

describe('MeshService Deployments', () => {
  test('one Deployment per version named <name>-<version>, labelled app and version, with a matching selector', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE }, v2: { image: 'reviews:v2' } } });
    const docs = docsOf(chart);

    const deployments = ofKind(docs, 'Deployment');
    expect(deployments.map(d => d.metadata.name)).toEqual(['reviews-v1', 'reviews-v2']);
    for (const version of ['v1', 'v2']) {
      const d = findDoc(docs, 'Deployment', `reviews-${version}`);
      const labels = { app: 'reviews', version };
      expect(d.apiVersion).toBe('apps/v1');
      expect(d.metadata.namespace).toBe('shop');
      expect(d.metadata.labels).toEqual(labels);
      expect(d.spec.selector).toEqual({ matchLabels: labels });
      expect(d.spec.template.metadata.labels).toEqual(labels);
    }
    expect(container(findDoc(docs, 'Deployment', 'reviews-v2')).image).toBe('reviews:v2');
  });

  test('container is named after the service, pulls IfNotPresent and exposes the target ports', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    const c = container(findDoc(docsOf(chart), 'Deployment', 'reviews-v1'));
    expect(c).toEqual({
      name: 'reviews',
      image: IMAGE,
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 9080 }],
      resources: { requests: DEFAULT_REQUESTS },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  });

  test('replicas default to 1 and can be set per version', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE }, v2: { image: IMAGE, replicas: 3 } } });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Deployment', 'reviews-v1').spec.replicas).toBe(1);
    expect(findDoc(docs, 'Deployment', 'reviews-v2').spec.replicas).toBe(3);
  });

  test('command, args, resources, imagePullPolicy and securityContext are passed through', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', {
      port: 9080,
      versions: {
        v1: {
          image: IMAGE,
          imagePullPolicy: 'Always',
          command: ['/bin/server'],
          args: ['--port', '9080'],
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '256Mi' },
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
        },
      },
    });
    const c = container(findDoc(docsOf(chart), 'Deployment', 'reviews-v1'));
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.command).toEqual(['/bin/server']);
    expect(c.args).toEqual(['--port', '9080']);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true });
  });

  test('optional container fields are omitted when not set', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    const d = findDoc(docsOf(chart), 'Deployment', 'reviews-v1');
    const c = container(d);
    for (const key of ['command', 'args', 'env', 'readinessProbe', 'livenessProbe', 'volumeMounts']) {
      expect(c).not.toHaveProperty(key);
    }
    expect(d.spec.template.spec).not.toHaveProperty('volumes');
    expect(d.spec.template.metadata).not.toHaveProperty('annotations');
  });

  test('addVersion() after construction adds another Deployment and version name', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    const added = svc.addVersion('v3', { image: 'reviews:v3' });
    expect(svc.versionNames).toEqual(['v1', 'v3']);
    expect(svc.deployment('v3')).toBe(added);
    expect(findDoc(docsOf(chart), 'Deployment', 'reviews-v3').metadata.labels).toEqual({ app: 'reviews', version: 'v3' });
  });
});

describe('MeshService Service and ports', () => {
  test('ports: [] declares a workload nothing calls: no Service, no container ports, still a ServiceAccount', () => {
    const { chart } = newChart();
    new MeshService(chart, 'worker', { ports: [], containerName: 'queue-worker', versions: { v1: { image: IMAGE } } });
    const docs = docsOf(chart);
    expect(ofKind(docs, 'Service')).toEqual([]);
    expect(findDoc(docs, 'ServiceAccount', 'worker')).toBeDefined();
    const worker = container(findDoc(docs, 'Deployment', 'worker-v1'));
    expect(worker.name).toBe('queue-worker');
    expect(worker.ports).toBeUndefined();
  });

  test('the Service selects app only (every version) and names its single port http', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE }, v2: { image: IMAGE } } });
    const services = ofKind(docsOf(chart), 'Service');
    expect(services).toHaveLength(1);
    const svc = services[0];
    expect(svc.metadata).toEqual({ name: 'reviews', namespace: 'shop', labels: { app: 'reviews', service: 'reviews' } });
    expect(svc.spec.selector).toEqual({ app: 'reviews' });
    expect(svc.spec.ports).toEqual([{ port: 9080, name: 'http' }]);
  });

  test('port names are ones Istio classifies: http, http-<port> for the second HTTP port, tcp, custom grpc-api', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'api', {
      ports: [
        { port: 80 },
        { port: 8080 },
        { port: 5432, protocol: PortProtocol.TCP },
        { port: 9090, protocol: PortProtocol.GRPC, name: 'grpc-api' },
        { port: 8443, protocol: PortProtocol.HTTP2, name: 'http2-internal' },
      ],
      versions: { v1: { image: IMAGE } },
    });
    const ports = findDoc(docsOf(chart), 'Service', 'api').spec.ports;
    expect(ports.map((p: any) => [p.port, p.name])).toEqual([
      [80, 'http'], [8080, 'http-8080'], [5432, 'tcp'], [9090, 'grpc-api'], [8443, 'http2-internal'],
    ]);
    expect(svc.ports.map(p => p.protocol)).toEqual(['http', 'http', 'tcp', 'grpc', 'http2']);
  });

  test('targetPort is only emitted when it differs from the port, and containers expose the target ports', () => {
    const { chart } = newChart();
    new MeshService(chart, 'web', {
      ports: [{ port: 80, targetPort: 8080 }, { port: 9000, protocol: PortProtocol.TCP }],
      versions: { v1: { image: IMAGE } },
    });
    const docs = docsOf(chart);
    const ports = findDoc(docs, 'Service', 'web').spec.ports;
    expect(ports[0]).toEqual({ port: 80, name: 'http', targetPort: 8080 });
    expect(ports[1]).toEqual({ port: 9000, name: 'tcp' });
    expect(ports[1]).not.toHaveProperty('targetPort');
    expect(container(findDoc(docs, 'Deployment', 'web-v1')).ports).toEqual([{ containerPort: 8080 }, { containerPort: 9000 }]);
  });

  test('a port name that does not start with the protocol is rejected with the names that would work', () => {
    const { chart } = newChart();
    expectMeshError(
      () => new MeshService(chart, 'web', { ports: [{ port: 80, name: 'web' }], versions: { v1: { image: IMAGE } } }),
      'test/web', 'ports[0].name', '"web" does not tell Istio the port speaks http', 'name it "http" or "http-<suffix>"',
    );
  });

  test('a protocol that is not a PortProtocol (a JavaScript caller\'s upper case) is named as such, not as a bad port name', () => {
    const { chart } = newChart();
    expectMeshError(
      () => new MeshService(chart, 'api', { ports: [{ port: 9000, protocol: 'GRPC' as PortProtocol }], versions: { v1: { image: IMAGE } } }),
      'test/api', 'ports[0].protocol', '"GRPC" is not a member of PortProtocol', 'PortProtocol.GRPC',
    );
  });

  test.each([
    ['http2', PortProtocol.HTTP],
    ['grpc-web', PortProtocol.GRPC],
    ['grpc-web-ui', PortProtocol.GRPC],
    ['tcpx', PortProtocol.TCP],
  ])('port name %s is rejected for protocol %s', (name, protocol) => {
    const { chart } = newChart();
    expectMeshError(
      () => new MeshService(chart, 'svc', { ports: [{ port: 80, name, protocol }], versions: { v1: { image: IMAGE } } }),
      'test/svc', 'ports[0].name', `"${name}"`,
    );
  });

  test('grpc-web names are accepted for GRPC_WEB', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'svc', { ports: [{ port: 80, protocol: PortProtocol.GRPC_WEB, name: 'grpc-web-ui' }], versions: { v1: { image: IMAGE } } });
    expect(svc.ports[0].name).toBe('grpc-web-ui');
  });

  // Kubernetes defaults ports to TCP, so UDP must be declared on the Service and the container.
  test('a UDP port is declared with protocol UDP on the Service and the container', () => {
    const { chart } = newChart();
    new MeshService(chart, 'dns', { ports: [{ port: 53, protocol: PortProtocol.UDP }], versions: { v1: { image: IMAGE } } });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Service', 'dns').spec.ports[0]).toMatchObject({ port: 53, name: 'udp' });
    expect(findDoc(docs, 'Service', 'dns').spec.ports[0].protocol).toBe('UDP');
    expect(container(findDoc(docs, 'Deployment', 'dns-v1')).ports[0]).toEqual({ containerPort: 53, protocol: 'UDP' });
  });

  test('host, fqdn and hostFrom use the chart namespace', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    expect(svc.namespace).toBe('shop');
    expect(svc.host).toBe('reviews');
    expect(svc.fqdn).toBe('reviews.shop.svc.cluster.local');
    expect(svc.hostFrom('shop')).toBe('reviews');
    expect(svc.hostFrom('web')).toBe('reviews.shop.svc.cluster.local');
  });

  test('namespace is default in a chart without one', () => {
    const { chart } = newChart(null);
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    expect(svc.namespace).toBe('default');
    expect(svc.fqdn).toBe('reviews.default.svc.cluster.local');
  });

  test('name overrides the construct id for the Service, Deployments, labels and container', () => {
    const { chart } = newChart();
    new MeshService(chart, 'Reviews', { name: 'reviews', port: 9080, versions: { v1: { image: IMAGE } } });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Service', 'reviews').spec.selector).toEqual({ app: 'reviews' });
    expect(container(findDoc(docs, 'Deployment', 'reviews-v1')).name).toBe('reviews');
  });
});

describe('MeshService ServiceAccount', () => {
  test('defaults to the service name and is used by every Deployment', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE }, v2: { image: IMAGE } } });
    const docs = docsOf(chart);
    expect(svc.serviceAccountName).toBe('reviews');
    expect(findDoc(docs, 'ServiceAccount', 'reviews').metadata.labels).toEqual({ account: 'reviews' });
    for (const d of ofKind(docs, 'Deployment')) expect(d.spec.template.spec.serviceAccountName).toBe('reviews');
  });

  test('serviceAccountName overrides it, for the ServiceAccount and every Deployment', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', {
      port: 9080, serviceAccountName: 'bookinfo-reviews', versions: { v1: { image: IMAGE }, v2: { image: IMAGE } },
    });
    const docs = docsOf(chart);
    expect(ofKind(docs, 'ServiceAccount').map(d => d.metadata.name)).toEqual(['bookinfo-reviews']);
    const deployments = ofKind(docs, 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.spec.template.spec.serviceAccountName).toBe('bookinfo-reviews');
  });
});

describe('MeshService env, probes, volumes and annotations', () => {
  test('env keeps literals as values and references secrets without their value', () => {
    const { chart } = newChart();
    new MeshService(chart, 'ratings', {
      port: 9080,
      versions: {
        v1: {
          image: IMAGE,
          env: {
            LOG_LEVEL: 'debug',
            DB_PASSWORD: EnvValue.fromSecret('ratings-db', 'password'),
            DB_HOST: EnvValue.fromConfigMap('ratings-config', 'dbHost'),
            POD_NAME: EnvValue.fromFieldPath('metadata.name'),
            MODE: EnvValue.fromValue('fast'),
          },
        },
      },
    });
    const docs = docsOf(chart);
    const env = container(findDoc(docs, 'Deployment', 'ratings-v1')).env;
    expect(env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'ratings-db', key: 'password' } } },
      { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: 'ratings-config', key: 'dbHost' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'MODE', value: 'fast' },
    ]);
    expect(env[1]).not.toHaveProperty('value');
    // No Secret object (or other place holding secret data) is generated.
    expect(ofKind(docs, 'Secret')).toEqual([]);
    expect(JSON.stringify(docs)).not.toMatch(/"(stringData|data)":/);
  });

  test('probes render the action and the timing options in seconds', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', {
      port: 9080,
      versions: {
        v1: {
          image: IMAGE,
          readinessProbe: Probe.httpGet('/health', 9080, {
            initialDelay: Duration.seconds(5), period: Duration.seconds(10), timeout: Duration.seconds(2), failureThreshold: 3,
          }),
          livenessProbe: Probe.tcpSocket(9080),
        },
        v2: { image: IMAGE, livenessProbe: Probe.exec(['cat', '/tmp/healthy'], { failureThreshold: 1 }) },
      },
    });
    const docs = docsOf(chart);
    const v1 = container(findDoc(docs, 'Deployment', 'reviews-v1'));
    expect(v1.readinessProbe).toEqual({
      httpGet: { path: '/health', port: 9080 }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3,
    });
    expect(v1.livenessProbe).toEqual({ tcpSocket: { port: 9080 } });
    const v2 = container(findDoc(docs, 'Deployment', 'reviews-v2'));
    expect(v2.livenessProbe).toEqual({ exec: { command: ['cat', '/tmp/healthy'] }, failureThreshold: 1 });
    expect(v2).not.toHaveProperty('readinessProbe');
  });

  test('volumes default to emptyDir, take a secret source by name and mount read-only when asked', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', {
      port: 9080,
      versions: {
        v1: {
          image: IMAGE,
          volumes: [
            { name: 'tmp', mountPath: '/tmp' },
            { name: 'certs', mountPath: '/etc/certs', source: VolumeSource.secret('reviews-tls'), readOnly: true },
            { name: 'config', mountPath: '/etc/config', source: VolumeSource.configMap('reviews-config') },
            { name: 'data', mountPath: '/data', source: VolumeSource.persistentVolumeClaim('reviews-data') },
          ],
        },
      },
    });
    const d = findDoc(docsOf(chart), 'Deployment', 'reviews-v1');
    expect(container(d).volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'certs', mountPath: '/etc/certs', readOnly: true },
      { name: 'config', mountPath: '/etc/config' },
      { name: 'data', mountPath: '/data' },
    ]);
    expect(d.spec.template.spec.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'certs', secret: { secretName: 'reviews-tls' } },
      { name: 'config', configMap: { name: 'reviews-config' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'reviews-data' } },
    ]);
  });

  test('podAnnotations apply to every version and merge with (and are overridden by) version annotations', () => {
    const { chart } = newChart();
    new MeshService(chart, 'reviews', {
      port: 9080,
      podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080' },
      versions: {
        v1: { image: IMAGE },
        v2: { image: IMAGE, podAnnotations: { 'prometheus.io/port': '15020', 'sidecar.istio.io/inject': 'true' } },
      },
    });
    const docs = docsOf(chart);
    expect(findDoc(docs, 'Deployment', 'reviews-v1').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080',
    });
    expect(findDoc(docs, 'Deployment', 'reviews-v2').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'sidecar.istio.io/inject': 'true',
    });
    // Annotations belong to the pod template, not the Deployment.
    expect(findDoc(docs, 'Deployment', 'reviews-v1').metadata).not.toHaveProperty('annotations');
  });
});

describe('MeshService errors', () => {
  test('no versions', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: 9080, versions: {} }),
      'test/reviews', 'versions', 'at least one version');
  });

  test('both port and ports', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: 9080, ports: [{ port: 9080 }], versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'port', 'exactly one of port and ports');
  });

  test('neither port nor ports', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'port', 'exactly one of port and ports');
  });

  test('a workload without ports cannot be routed to', () => {
    const { chart } = newChart();
    const worker = new MeshService(chart, 'worker', { ports: [], versions: { v1: { image: IMAGE } } });
    expectMeshError(() => worker.version('v1'), 'test/worker', 'ports', 'no route can reach it');
  });

  test('duplicate port name', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', {
      ports: [{ port: 80, name: 'http-web' }, { port: 81, name: 'http-web' }], versions: { v1: { image: IMAGE } },
    }), 'test/reviews', 'ports[1]', 'repeats a port number or name');
  });

  test('a container port the Istio proxy listens on in every pod', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'admin', { port: 15000, versions: { v1: { image: IMAGE } } }),
      'test/admin', 'port', 'container port 15000 is the Istio proxy\'s admin port, which Istio tells applications not to use', 'listen on another port');
    expectMeshError(() => new MeshService(chart, 'web', { ports: [{ port: 80, targetPort: 15006 }], versions: { v1: { image: IMAGE } } }),
      'test/web', 'ports[0].targetPort', 'container port 15006 is the Istio proxy\'s inbound capture port', 'the Service port may stay 80');
    // the Service port itself may be one of them: only the container port shares the pod with the proxy
    expect(() => new MeshService(chart, 'health', { ports: [{ port: 15021, targetPort: 8080 }], versions: { v1: { image: IMAGE } } })).not.toThrow();
  });

  test('duplicate port number', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', {
      ports: [{ port: 80 }, { port: 80, protocol: PortProtocol.TCP }], versions: { v1: { image: IMAGE } },
    }), 'test/reviews', 'ports[1]', 'port 80');
  });

  test.each([0, 65536, 70000, 80.5, -1])('port %p out of range', port => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port, versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'port', `${port} is not a port number`, 'from 1 to 65535');
  });

  test('a port given as a string (JavaScript or a cast) is named as one', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: '8080' as unknown as number, versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'port', 'must be a port number, not "8080"', 'from 1 to 65535');
  });

  test('targetPort out of range', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { ports: [{ port: 80, targetPort: 0 }], versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'ports[0].targetPort', '0 is not a port number');
  });

  test('upper-case name', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'Reviews', { port: 9080, versions: { v1: { image: IMAGE } } }),
      'test/Reviews', 'name', '"Reviews" is not a valid DNS label');
  });

  test('invalid serviceAccountName', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: 9080, serviceAccountName: 'Bookinfo_Reviews', versions: { v1: { image: IMAGE } } }),
      'test/reviews', 'serviceAccountName', '"Bookinfo_Reviews"');
  });

  test('invalid version label value', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: 9080, versions: { 'v2!': { image: IMAGE } } }),
      'test/reviews', 'versions.v2!', 'not a valid label value');
  });

  test('a version that makes an invalid Deployment name', () => {
    const { chart } = newChart();
    expectMeshError(() => new MeshService(chart, 'reviews', { port: 9080, versions: { V2: { image: IMAGE } } }),
      'test/reviews', 'versions.V2', '"reviews-V2" is not a valid DNS label');
  });

  test('duplicate addVersion', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    expectMeshError(() => svc.addVersion('v1', { image: IMAGE }), 'test/reviews', 'versions.v1', 'the version already exists');
  });

  test('deployment() of an unknown version', () => {
    const { chart } = newChart();
    const svc = new MeshService(chart, 'reviews', { port: 9080, versions: { v1: { image: IMAGE } } });
    expectMeshError(() => svc.deployment('v9'), 'test/reviews', 'versions', '"v9" is not a version of this service (it has v1)');
  });
});
