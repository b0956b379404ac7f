import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Caller, Destination, EnvValue, Gateway, GatewayProtocol, GatewayTls, MeshNamespace, MeshService, PortProtocol, VirtualService,
  WorkloadVersionProps,
} from '../../lib';

/** The workloads of the voting app. */
export type VotingWorkload = 'vote' | 'result' | 'worker' | 'redis' | 'db';

/** The images of the upstream manifests. */
export const VOTING_IMAGES: Readonly<Record<VotingWorkload, string>> = {
  vote: 'dockersamples/examplevotingapp_vote',
  result: 'dockersamples/examplevotingapp_result',
  worker: 'dockersamples/examplevotingapp_worker',
  redis: 'redis:alpine',
  db: 'postgres:15-alpine',
};

/** Settings of the voting app. */
export interface VotingProps extends ChartProps {
  /**
   * The namespace (created, with sidecar injection).
   * @default 'voting'
   */
  readonly namespace?: string;
  /**
   * The domain of the public hosts `vote.<domain>` and `result.<domain>`.
   * @default 'example.com'
   */
  readonly domain?: string;
  /**
   * The `kubernetes.io/tls` Secret (in istio-system) with a certificate for both hosts.
   * @default 'voting-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * The Secret (in the app's namespace) whose key `password` is the Postgres password. The
   * vote, result and worker images connect as postgres/postgres, so it must hold `postgres`
   * unless those images are rebuilt.
   * @default 'voting-db'
   */
  readonly dbSecretName?: string;
  /**
   * Images per workload.
   * @default VOTING_IMAGES (as upstream)
   */
  readonly images?: Partial<Record<VotingWorkload, string>>;
  /**
   * Pod replicas of the vote and result front ends.
   * @default 1
   */
  readonly replicas?: number;
}

/**
 * The official redis and postgres images start as root, give the data directory to their own
 * user (chown) and switch to it (su-exec): with every capability dropped both steps fail, so
 * these two keep the container runtime's default capabilities. The other production defaults hold.
 */
const ENTRYPOINT_CHANGES_USER = { securityContext: { capabilities: {} } };

/** Keeps the app container from starting before its sidecar can carry its connections. */
const HOLD_UNTIL_PROXY_STARTS = { 'proxy.istio.io/config': '{ "holdApplicationUntilProxyStarts": true }' };

/**
 * Docker's example voting app (vote, result, worker, redis, db) as in its Kubernetes manifests,
 * moved into the mesh: port names Istio classifies (`http`, `tcp-redis`, `tcp-postgres`), a
 * ServiceAccount and version label per workload, an HTTPS Gateway with VirtualServices for the
 * vote and result hosts instead of NodePort Services, the Postgres password from a Secret, STRICT
 * mTLS and an allow-list per edge: vote -> redis; worker -> redis, db; result -> db; ingress -> vote, result.
 */
export class VotingChart extends Chart {
  /** The workloads by name. */
  public readonly workloads: Readonly<Record<VotingWorkload, MeshService>>;
  /** The hosts `vote.<domain>` and `result.<domain>`. */
  public readonly hosts: { readonly vote: string; readonly result: string };

  constructor(scope: Construct, id: string, props: VotingProps = {}) {
    const namespace = props.namespace ?? 'voting';
    super(scope, id, { ...props, namespace });
    const ns = new MeshNamespace(this, 'Namespace', { name: namespace });
    const image = (w: VotingWorkload) => props.images?.[w] ?? VOTING_IMAGES[w];
    const v1 = (w: VotingWorkload, extra: Partial<WorkloadVersionProps> = {}) => ({ v1: { image: image(w), ...extra } });

    const redis = new MeshService(this, 'redis', {
      ports: [{ port: 6379, protocol: PortProtocol.TCP, name: 'tcp-redis' }],
      versions: v1('redis', { ...ENTRYPOINT_CHANGES_USER, volumes: [{ name: 'redis-data', mountPath: '/data' }] }),
    });
    const db = new MeshService(this, 'db', {
      containerName: 'postgres',
      ports: [{ port: 5432, protocol: PortProtocol.TCP, name: 'tcp-postgres' }],
      versions: v1('db', {
        ...ENTRYPOINT_CHANGES_USER,
        env: { POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: EnvValue.fromSecret(props.dbSecretName ?? 'voting-db', 'password') },
        volumes: [{ name: 'db-data', mountPath: '/var/lib/postgresql/data' }],
      }),
    });
    const frontEnd = { replicas: props.replicas, podAnnotations: HOLD_UNTIL_PROXY_STARTS };
    const vote = new MeshService(this, 'vote', { ports: [{ port: 8080, targetPort: 80 }], versions: v1('vote', frontEnd) });
    const result = new MeshService(this, 'result', { ports: [{ port: 8081, targetPort: 80 }], versions: v1('result', frontEnd) });
    const worker = new MeshService(this, 'worker', { ports: [], versions: v1('worker', { podAnnotations: HOLD_UNTIL_PROXY_STARTS }) });
    this.workloads = { vote, result, worker, redis, db };

    const domain = props.domain ?? 'example.com';
    this.hosts = { vote: `vote.${domain}`, result: `result.${domain}` };
    const hosts = [this.hosts.vote, this.hosts.result];
    const gateway = new Gateway(this, 'voting-gateway', {
      servers: [
        { port: 80, protocol: GatewayProtocol.HTTP, hosts, httpsRedirect: true },
        { port: 443, protocol: GatewayProtocol.HTTPS, hosts, tls: GatewayTls.simple(props.tlsSecretName ?? 'voting-tls') },
      ],
    });
    for (const [service, host, port] of [[vote, this.hosts.vote, 8080], [result, this.hosts.result, 8081]] as const) {
      new VirtualService(this, `${service.name}-ingress`, {
        name: service.name, hosts: [host], gateways: [gateway], http: [{ to: [Destination.toService(service, { port })] }],
      });
    }

    ns.requireMtls();
    ns.denyByDefault();
    redis.allowFrom([vote, worker]);
    db.allowFrom([worker, result]);
    vote.allowFrom(Caller.ingressGateway());
    result.allowFrom(Caller.ingressGateway());
  }
}
