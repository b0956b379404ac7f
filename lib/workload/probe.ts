import { Duration } from 'cdk8s';

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
}

/** A container readiness or liveness probe. */
export class Probe {
  /** An HTTP GET of `path` on the container port `port`. */
  public static httpGet(path: string, port: number, options: ProbeOptions = {}): Probe {
    return new Probe({ httpGet: { path, port } }, options);
  }

  /** A TCP connect to the container port `port`. */
  public static tcpSocket(port: number, options: ProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port } }, options);
  }

  /** A command run in the container; exit code 0 is healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command } }, options);
  }

  private constructor(private readonly action: Record<string, unknown>, private readonly options: ProbeOptions) {}

  /** @internal The Kubernetes probe object. */
  public _toKube(): Record<string, unknown> {
    const o = this.options;
    return {
      ...this.action,
      ...(o.initialDelay && { initialDelaySeconds: o.initialDelay.toSeconds() }),
      ...(o.period && { periodSeconds: o.period.toSeconds() }),
      ...(o.timeout && { timeoutSeconds: o.timeout.toSeconds() }),
      ...(o.failureThreshold !== undefined && { failureThreshold: o.failureThreshold }),
    };
  }
}
