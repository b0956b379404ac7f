import { VOTING_IMAGES, VotingProps, VotingWorkload, votingApp } from '../../apps/voting';
import { accessMatrix, formatViolation, validateDocuments } from '../../lib';
import { allowedEdges, containerOf, expectWholeServiceAllows } from '../support/access';
import { Doc, findDoc, ofKind } from '../support/constructs';
import { readReference, testNeeding } from '../support/reference';

/**
 * What a platform engineer checks in dist/voting/voting.yaml: the workloads run what upstream's
 * Kubernetes manifests (../shared/reference/voting-app) run, moved into the mesh with Istio port
 * names, an HTTPS ingress instead of NodePorts, the Postgres password from a Secret, and an
 * allow-list per edge of the call graph.
 */

const NS = 'voting';
const INGRESS = 'istio-system/istio-ingressgateway';
const WORKLOADS: readonly VotingWorkload[] = ['vote', 'result', 'worker', 'redis', 'db'];

function synth(props: VotingProps = {}): { docs: Doc[]; files: string[] } {
  const { app, fileOf } = votingApp(props);
  return {
    docs: app.charts.flatMap(chart => chart.toJson() as Doc[]),
    files: [...new Set(app.charts.map(chart => fileOf(chart)))],
  };
}

/** `name -> where it comes from` of a container's env, for comparison with upstream. */
function envNames(container: Record<string, any>): string[] {
  return (container.env ?? []).map((e: any) => e.name).sort();
}

/** Volumes as `name: source kind` and mounts as `name@mountPath`, order-insensitive. */
function storageOf(deployment: Record<string, any>): { volumes: string[]; mounts: string[] } {
  const pod = deployment.spec.template.spec;
  return {
    volumes: (pod.volumes ?? []).map((v: any) => `${v.name}: ${Object.keys(v).filter(k => k !== 'name').join(',')} ${JSON.stringify(v.emptyDir ?? null)}`).sort(),
    mounts: pod.containers.flatMap((c: any) => (c.volumeMounts ?? []).map((m: any) => `${m.name}@${m.mountPath}`)).sort(),
  };
}

describe('voting app', () => {
  const { docs, files } = synth();
  const deployment = (w: VotingWorkload) => findDoc(docs, 'Deployment', `${w}-v1`);

  test('is written to one file, voting.yaml', () => {
    expect(files).toEqual(['voting.yaml']);
  });

  test('the namespace voting exists with sidecar injection, and every other resource is in it', () => {
    expect(findDoc(docs, 'Namespace', NS).metadata.labels).toEqual(expect.objectContaining({ 'istio-injection': 'enabled' }));
    for (const doc of docs.filter(d => d.kind !== 'Namespace')) {
      expect(`${doc.kind}/${doc.metadata.name} in ${doc.metadata.namespace}`).toBe(`${doc.kind}/${doc.metadata.name} in ${NS}`);
    }
  });

  test('has one Deployment per workload, each labelled app + version v1 (pods and Deployment) and running as its own ServiceAccount', () => {
    expect(ofKind(docs, 'Deployment').map(d => d.metadata.name).sort()).toEqual(WORKLOADS.map(w => `${w}-v1`).sort());
    expect(ofKind(docs, 'ServiceAccount').map(d => d.metadata.name).sort()).toEqual([...WORKLOADS].sort());
    for (const w of WORKLOADS) {
      const d = deployment(w);
      expect(d.metadata.labels).toEqual(expect.objectContaining({ app: w, version: 'v1' }));
      expect(d.spec.template.metadata.labels).toEqual(expect.objectContaining({ app: w, version: 'v1' }));
      expect(d.spec.template.spec.serviceAccountName).toBe(w);
    }
  });

  describe('workloads as upstream', () => {
    test('the default images are those of the upstream manifests', () => {
      for (const w of WORKLOADS) expect(`${w}: ${containerOf(deployment(w)).image}`).toBe(`${w}: ${VOTING_IMAGES[w]}`);
    });

    test('container names: the workload name, postgres for db', () => {
      expect(Object.fromEntries(WORKLOADS.map(w => [w, containerOf(deployment(w)).name]))).toEqual({
        vote: 'vote', result: 'result', worker: 'worker', redis: 'redis', db: 'postgres',
      });
    });

    test('db: POSTGRES_USER is the literal postgres, POSTGRES_PASSWORD comes from the Secret voting-db key password', () => {
      const env = containerOf(deployment('db')).env;
      expect(envNames(containerOf(deployment('db')))).toEqual(['POSTGRES_PASSWORD', 'POSTGRES_USER']);
      expect(env.find((e: any) => e.name === 'POSTGRES_USER')).toEqual({ name: 'POSTGRES_USER', value: 'postgres' });
      expect(env.find((e: any) => e.name === 'POSTGRES_PASSWORD')).toEqual({
        name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'voting-db', key: 'password' } },
      });
    });

    test('the dbSecretName prop names the Secret of the password', () => {
      const custom = synth({ dbSecretName: 'pg-credentials' }).docs;
      const env = containerOf(findDoc(custom, 'Deployment', 'db-v1')).env;
      expect(env.find((e: any) => e.name === 'POSTGRES_PASSWORD').valueFrom).toEqual({ secretKeyRef: { name: 'pg-credentials', key: 'password' } });
      expect(JSON.stringify(custom)).not.toContain('voting-db');
    });

    test('no password in the manifests: no POSTGRES_PASSWORD has a literal value, and there is no Secret object', () => {
      for (const props of [{}, { dbSecretName: 'pg-credentials' }]) {
        const all = synth(props).docs;
        expect(ofKind(all, 'Secret')).toEqual([]);
        const passwords = ofKind(all, 'Deployment').flatMap(d => d.spec.template.spec.containers)
          .flatMap((c: any) => c.env ?? []).filter((e: any) => e.name === 'POSTGRES_PASSWORD');
        expect(passwords).toHaveLength(1);
        for (const p of passwords) {
          expect(p.value).toBeUndefined();
          expect(JSON.stringify(p)).not.toContain('"postgres"');
        }
      }
    });

    test('storage: emptyDir volumes at /data for redis and /var/lib/postgresql/data for db, nothing for the others', () => {
      expect(storageOf(deployment('redis'))).toEqual({ volumes: ['redis-data: emptyDir {}'], mounts: ['redis-data@/data'] });
      expect(storageOf(deployment('db'))).toEqual({ volumes: ['db-data: emptyDir {}'], mounts: ['db-data@/var/lib/postgresql/data'] });
      for (const w of ['vote', 'result', 'worker'] as const) expect(storageOf(deployment(w))).toEqual({ volumes: [], mounts: [] });
    });

    test('container ports: vote 80, result 80, redis 6379, db 5432, worker none', () => {
      const ports = (w: VotingWorkload) => (containerOf(deployment(w)).ports ?? []).map((p: any) => p.containerPort);
      expect(Object.fromEntries(WORKLOADS.map(w => [w, ports(w)])))
        .toEqual({ vote: [80], result: [80], worker: [], redis: [6379], db: [5432] });
    });

    test('images prop overrides one workload only; replicas applies to the vote and result front ends', () => {
      const custom = synth({ images: { worker: 'acme/worker:2' }, replicas: 3 }).docs;
      const d = (w: VotingWorkload) => findDoc(custom, 'Deployment', `${w}-v1`);
      expect(containerOf(d('worker')).image).toBe('acme/worker:2');
      for (const w of WORKLOADS.filter(x => x !== 'worker')) expect(containerOf(d(w)).image).toBe(VOTING_IMAGES[w]);
      expect(Object.fromEntries(WORKLOADS.map(w => [w, d(w).spec.replicas]))).toEqual({ vote: 3, result: 3, worker: 1, redis: 1, db: 1 });
    });
  });

  /** `test`, or a skip that says so when ../shared/reference/voting-app is absent. */
  const parityTest = testNeeding('reference/voting-app');

  describe('parity with ../shared/reference/voting-app/*-deployment.yaml', () => {
    const upstream = (w: VotingWorkload) => {
      const found = readReference(`voting-app/${w}-deployment.yaml`).filter(d => d.kind === 'Deployment');
      expect(found).toHaveLength(1);
      return found[0];
    };

    parityTest.each([...WORKLOADS])('%s: same image, container name, container ports, env names and volumes/mounts as upstream', (w) => {
      const ref = upstream(w);
      const ours = deployment(w);
      const refContainer = ref.spec.template.spec.containers[0];
      expect(ref.spec.template.spec.containers).toHaveLength(1);
      const container = containerOf(ours);
      expect(container.image).toBe(refContainer.image);
      expect(container.name).toBe(refContainer.name);
      expect((container.ports ?? []).map((p: any) => p.containerPort)).toEqual((refContainer.ports ?? []).map((p: any) => p.containerPort));
      expect(envNames(container)).toEqual(envNames(refContainer));
      expect(storageOf(ours)).toEqual(storageOf(ref));
      expect(ours.spec.template.metadata.labels.app).toBe(ref.spec.template.metadata.labels.app);
    });

    parityTest('db: POSTGRES_USER as upstream; POSTGRES_PASSWORD moved from upstream\'s literal into a secretKeyRef', () => {
      const refEnv = upstream('db').spec.template.spec.containers[0].env;
      const env = containerOf(deployment('db')).env;
      const user = (list: any[]) => list.find(e => e.name === 'POSTGRES_USER');
      expect(user(env)).toEqual(user(refEnv));
      expect(refEnv.find((e: any) => e.name === 'POSTGRES_PASSWORD').value).toBe('postgres');
      expect(env.find((e: any) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'voting-db', key: 'password' });
    });

    parityTest('every upstream Service port is kept (same port and targetPort), renamed for Istio, as ClusterIP', () => {
      for (const w of ['vote', 'result', 'redis', 'db'] as const) {
        const ref = readReference(`voting-app/${w}-service.yaml`)[0];
        const ours = findDoc(docs, 'Service', w);
        const pairs = (s: Record<string, any>) => s.spec.ports.map((p: any) => `${p.port}->${p.targetPort ?? p.port}`);
        expect(pairs(ours)).toEqual(pairs(ref));
        expect(ours.spec.selector).toEqual(ref.spec.selector);
      }
    });
  });

  describe('Services', () => {
    test('Istio-classified port names: redis tcp-redis 6379, db tcp-postgres 5432, vote http 8080->80, result http 8081->80', () => {
      const ports = (name: string) => findDoc(docs, 'Service', name).spec.ports.map((p: any) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port }));
      expect(ports('redis')).toEqual([{ name: 'tcp-redis', port: 6379, targetPort: 6379 }]);
      expect(ports('db')).toEqual([{ name: 'tcp-postgres', port: 5432, targetPort: 5432 }]);
      expect(ports('vote')).toEqual([{ name: 'http', port: 8080, targetPort: 80 }]);
      expect(ports('result')).toEqual([{ name: 'http', port: 8081, targetPort: 80 }]);
    });

    test('no NodePort (or LoadBalancer) Services: all ClusterIP, reached through the gateway', () => {
      for (const s of ofKind(docs, 'Service')) {
        expect(`${s.metadata.name}: ${s.spec.type ?? 'ClusterIP'}`).toBe(`${s.metadata.name}: ClusterIP`);
        for (const p of s.spec.ports) expect(p.nodePort).toBeUndefined();
      }
    });

    test('worker, which nothing calls, has no Service but has a ServiceAccount', () => {
      expect(ofKind(docs, 'Service').map(s => s.metadata.name).sort()).toEqual(['db', 'redis', 'result', 'vote']);
      findDoc(docs, 'ServiceAccount', 'worker');
      expect(deployment('worker').spec.template.spec.serviceAccountName).toBe('worker');
    });

    test('each Service selects the pods of its workload', () => {
      for (const s of ofKind(docs, 'Service')) {
        const pods = deployment(s.metadata.name as VotingWorkload).spec.template.metadata.labels;
        for (const [k, v] of Object.entries(s.spec.selector)) expect(pods[k]).toBe(v);
      }
    });
  });

  describe('HTTPS ingress', () => {
    const server = (gateway: Doc, port: number) => {
      const found = gateway.spec.servers.filter((s: any) => s.port.number === port);
      expect(found).toHaveLength(1);
      return found[0];
    };

    test('Gateway: vote.example.com and result.example.com over HTTPS (SIMPLE, credential voting-tls), HTTP redirecting to HTTPS', () => {
      const gateway = findDoc(docs, 'Gateway', 'voting-gateway');
      expect(gateway.spec.selector).toEqual({ istio: 'ingressgateway' });
      expect(gateway.spec.servers).toHaveLength(2);
      const https = server(gateway, 443);
      expect(https.port.protocol).toBe('HTTPS');
      expect([...https.hosts].sort()).toEqual(['result.example.com', 'vote.example.com']);
      expect(https.tls).toEqual(expect.objectContaining({ mode: 'SIMPLE', credentialName: 'voting-tls' }));
      const http = server(gateway, 80);
      expect(http.port.protocol).toBe('HTTP');
      expect([...http.hosts].sort()).toEqual(['result.example.com', 'vote.example.com']);
      expect(http.tls).toEqual({ httpsRedirect: true });
    });

    test('the domain and tlsSecretName props set both hosts and the credential', () => {
      const custom = synth({ domain: 'polls.acme.test', tlsSecretName: 'polls-cert' }).docs;
      const gateway = findDoc(custom, 'Gateway', 'voting-gateway');
      for (const port of [80, 443]) expect([...server(gateway, port).hosts].sort()).toEqual(['result.polls.acme.test', 'vote.polls.acme.test']);
      expect(server(gateway, 443).tls.credentialName).toBe('polls-cert');
      expect(findDoc(custom, 'VirtualService', 'vote').spec.hosts).toEqual(['vote.polls.acme.test']);
      expect(findDoc(custom, 'VirtualService', 'result').spec.hosts).toEqual(['result.polls.acme.test']);
      expect(JSON.stringify(custom)).not.toContain('example.com');
    });

    test('VirtualServices route the vote host to vote:8080 and the result host to result:8081, through the gateway', () => {
      expect(ofKind(docs, 'VirtualService').map(v => v.metadata.name).sort()).toEqual(['result', 'vote']);
      for (const [name, host, port] of [['vote', 'vote.example.com', 8080], ['result', 'result.example.com', 8081]] as const) {
        const vs = findDoc(docs, 'VirtualService', name);
        expect(vs.spec.gateways).toEqual(['voting-gateway']);
        expect(vs.spec.hosts).toEqual([host]);
        expect(vs.spec.http).toEqual([{ route: [{ destination: { host: name, port: { number: port } } }] }]);
        expect(findDoc(docs, 'Service', name).spec.ports.map((p: any) => p.port)).toContain(port);
      }
    });

    test('no Secret object and no key or certificate material in the output', () => {
      expect(ofKind(docs, 'Secret')).toEqual([]);
      expect(JSON.stringify(docs)).not.toMatch(/-----BEGIN|PRIVATE KEY|tls\.key|tls\.crt/);
    });
  });

  describe('zero trust', () => {
    test('STRICT PeerAuthentication default and the deny-all allow-nothing policy', () => {
      expect(findDoc(docs, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
      expect(findDoc(docs, 'AuthorizationPolicy', 'allow-nothing').spec).toEqual({});
    });

    test('the access matrix is exactly: ingress -> vote, result; vote -> redis; worker -> redis, db; result -> db', () => {
      const matrix = accessMatrix(docs);
      expect(matrix.targets.map(t => t.id).sort()).toEqual(WORKLOADS.map(w => `${NS}/${w}`).sort());
      expect(allowedEdges(matrix)).toEqual([
        `${INGRESS} -> ${NS}/vote`,
        `${INGRESS} -> ${NS}/result`,
        `${NS}/vote -> ${NS}/redis`,
        `${NS}/worker -> ${NS}/redis`,
        `${NS}/worker -> ${NS}/db`,
        `${NS}/result -> ${NS}/db`,
      ].sort());
      expectWholeServiceAllows(matrix);
    });

    test('authz is consistent with the routes: the ingress gateway may call every destination of the gateway-bound routes', () => {
      const matrix = accessMatrix(docs);
      for (const vs of ofKind(docs, 'VirtualService').filter(v => v.spec.gateways?.length)) {
        for (const destination of vs.spec.http.flatMap((r: any) => r.route.map((x: any) => x.destination))) {
          const app = findDoc(docs, 'Service', destination.host).spec.selector.app;
          expect(`${vs.metadata.name} -> ${app}: ${matrix.cells[INGRESS][`${NS}/${app}`].access}`).toBe(`${vs.metadata.name} -> ${app}: all`);
        }
      }
    });
  });

  test.each<[string, VotingProps]>([
    ['defaults', {}],
    ['every prop set', { namespace: 'polls', domain: 'polls.acme.test', tlsSecretName: 'polls-cert', dbSecretName: 'pg', images: { db: 'postgres:16-alpine' }, replicas: 2 }],
  ])('every document is valid against the Istio CRDs and the Kubernetes API (%s)', (_, props) => {
    const all = synth(props).docs;
    expect(all.length).toBeGreaterThan(0);
    expect(validateDocuments(all).map(formatViolation)).toEqual([]);
  });
});
