import { Duration } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { checkPortNumber } from '../core/checks';
import { MeshConfigError } from '../core/errors';
import { isHeaderToken } from '../core/http-headers';
import { k8s } from '../core/kubernetes-l1';

/** Timing options shared by every kind of {@link Probe}. */
export interface ProbeOptions {
  /**
   * Delay before the first probe.
   * @default Kubernetes' default (0s)
   */
  readonly initialDelay?: Duration;
  /**
   * How often to probe.
   * @default Kubernetes' default (10s)
   */
  readonly period?: Duration;
  /**
   * How long one probe may take.
   * @default Kubernetes' default (1s)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the container is considered failed.
   * @default Kubernetes' default (3)
   */
  readonly failureThreshold?: number;
  /**
   * Consecutive successes before a failed container is considered healthy again. Kubernetes only
   * accepts 1 for liveness and startup probes, so a higher value is refused there.
   * @default Kubernetes' default (1)
   */
  readonly successThreshold?: number;
}

/** The URL scheme of an HTTP probe. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the kubelet does not verify the certificate. */
  HTTPS = 'HTTPS',
}

/** Options of {@link Probe.httpGet}. */
export interface HttpGetProbeOptions extends ProbeOptions {
  /**
   * Request headers the kubelet sends, by name (e.g. `{ 'x-probe': 'kubelet' }`).
   * @default none
   */
  readonly httpHeaders?: Record<string, string>;
  /**
   * The URL scheme.
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
}

/** Options of {@link Probe.grpc}. */
export interface GrpcProbeOptions extends ProbeOptions {
  /**
   * The service name sent in the gRPC health check request (`grpc.health.v1.HealthCheckRequest.service`).
   * @default the server's overall health (an empty service name)
   */
  readonly service?: string;
}

/** Which of a container's probes a {@link Probe} is (Kubernetes limits liveness and startup probes). */
export type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** What a probe does: one of the Kubernetes probe handlers, its port by number or by name. */
type ProbeAction =
  | { readonly httpGet: Omit<K8s.HttpGetAction, 'port'>; readonly port: number | string }
  | { readonly tcpSocket: Omit<K8s.TcpSocketAction, 'port'>; readonly port: number | string }
  | { readonly grpc: Omit<K8s.GrpcAction, 'port'>; readonly port: number | string }
  | { readonly exec: K8s.ExecAction };

/**
 * A container readiness, liveness or startup probe. A port is a number, or the name of one of the
 * service's ports (`'grpc'`, `'http-admin'`), written as that port's container port number.
 */
export class Probe {
  /** An HTTP GET of `path` on the container port `port` (a number, or a service port name). */
  public static httpGet(path: string, port: number | string, options: HttpGetProbeOptions = {}): Probe {
    const headers = Object.entries(options.httpHeaders ?? {}).map(([name, value]) => ({ name, value }));
    return new Probe({
      httpGet: {
        path,
        ...(headers.length > 0 && { httpHeaders: headers }),
        ...(options.scheme !== undefined && options.scheme !== ProbeScheme.HTTP && { scheme: options.scheme }),
      },
      port,
    }, options);
  }

  /** A TCP connect to the container port `port` (a number, or a service port name). */
  public static tcpSocket(port: number | string, options: ProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: {}, port }, options);
  }

  /**
   * A gRPC health check (grpc.health.v1.Health/Check) on the container port `port`, run by the
   * kubelet itself (Kubernetes 1.27+): no `grpc_health_probe` binary is needed in the image.
   * Kubernetes takes a port number only here, so a service port name is written as its number.
   */
  public static grpc(port: number | string, options: GrpcProbeOptions = {}): Probe {
    return new Probe({ grpc: { ...(options.service !== undefined && { service: options.service }) }, port }, options);
  }

  /** A command run in the container; exit code 0 is healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command } }, options);
  }

  private constructor(private readonly action: ProbeAction, private readonly options: ProbeOptions) {}

  /**
   * @internal The Kubernetes probe object; `scope` and `field` locate errors, `kind` is which probe
   * of the container it is, and `ports` maps the port names it may use to container port numbers.
   */
  public _toKube(scope: IConstruct, field: string, kind: ProbeKind, ports: ReadonlyMap<string, number>): K8s.Probe {
    const o = this.options;
    const seconds = (name: string, d: Duration | undefined, min: number) => {
      if (d === undefined) return undefined;
      const value = d.toSeconds({ integral: false });
      if (!Number.isInteger(value) || value < min) {
        throw new MeshConfigError(scope, `${field}.${name}`, `${value}s is not a whole number of seconds of at least ${min}`,
          `use Duration.seconds(n) with a whole n >= ${min}`);
      }
      return value;
    };
    const threshold = (name: string, value: number | undefined) => {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new MeshConfigError(scope, `${field}.${name}`, `${value} is not a positive integer`, 'use 1 or more');
      }
      return value;
    };
    const successThreshold = threshold('successThreshold', o.successThreshold);
    if (kind !== 'readiness' && successThreshold !== undefined && successThreshold !== 1) {
      throw new MeshConfigError(scope, `${field}.successThreshold`, `Kubernetes requires 1 for a ${kind} probe, not ${successThreshold}`,
        'leave successThreshold out (or set 1); only a readiness probe may ask for more successes');
    }
    return {
      ...this.handler(scope, field, ports),
      initialDelaySeconds: seconds('initialDelay', o.initialDelay, 0),
      periodSeconds: seconds('period', o.period, 1),
      timeoutSeconds: seconds('timeout', o.timeout, 1),
      failureThreshold: threshold('failureThreshold', o.failureThreshold),
      successThreshold,
    };
  }

  /** The probe handler, its port resolved and checked. */
  private handler(scope: IConstruct, field: string, ports: ReadonlyMap<string, number>):
  Pick<K8s.Probe, 'httpGet' | 'tcpSocket' | 'grpc' | 'exec'> {
    const a = this.action;
    if ('exec' in a) return { exec: a.exec };
    const port = resolvePort(scope, `${field}.port`, a.port, ports);
    if ('grpc' in a) return { grpc: { port, ...a.grpc } };
    if ('tcpSocket' in a) return { tcpSocket: { port: k8s.IntOrString.fromNumber(port) } };
    for (const h of a.httpGet.httpHeaders ?? []) {
      if (!isHeaderToken(h.name)) {
        throw new MeshConfigError(scope, `${field}.httpHeaders.${h.name}`, `${JSON.stringify(h.name)} is not a valid HTTP header name`,
          'use letters, digits and !#$%&\'*+-.^_`|~ (no spaces or ":")');
      }
      if (/[\r\n]/.test(h.value)) {
        throw new MeshConfigError(scope, `${field}.httpHeaders.${h.name}`, 'the header value holds a line break',
          'use a single-line value');
      }
    }
    if (a.httpGet.path !== undefined && !a.httpGet.path.startsWith('/')) {
      throw new MeshConfigError(scope, `${field}.path`, `"${a.httpGet.path}" is not an absolute path`, 'start the path with "/"');
    }
    return { httpGet: { ...a.httpGet, port: k8s.IntOrString.fromNumber(port) } };
  }
}

/** A probe port: a number checked as a port, or a name looked up in `ports`. */
function resolvePort(scope: IConstruct, field: string, port: number | string, ports: ReadonlyMap<string, number>): number {
  if (typeof port === 'number') return checkPortNumber(scope, field, port);
  const resolved = ports.get(port);
  if (resolved === undefined) {
    const names = [...ports.keys()];
    throw new MeshConfigError(scope, field, `"${port}" is not the name of a port of this container`,
      names.length > 0 ? `use one of ${names.join(', ')}, or a port number` : 'use a port number');
  }
  return resolved;
}
