import { Duration } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';
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
}

/** What a probe does: one of the Kubernetes probe handlers. */
type ProbeAction = Pick<K8s.Probe, 'httpGet' | 'tcpSocket' | 'exec'>;

/** A container readiness or liveness probe. */
export class Probe {
  /** An HTTP GET of `path` on the container port `port`. */
  public static httpGet(path: string, port: number, options: ProbeOptions = {}): Probe {
    return new Probe({ httpGet: { path, port: k8s.IntOrString.fromNumber(port) } }, options);
  }

  /** A TCP connect to the container port `port`. */
  public static tcpSocket(port: number, options: ProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port: k8s.IntOrString.fromNumber(port) } }, options);
  }

  /** A command run in the container; exit code 0 is healthy. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command } }, options);
  }

  private constructor(private readonly action: ProbeAction, private readonly options: ProbeOptions) {}

  /** @internal The Kubernetes probe object; `scope` and `field` locate errors. */
  public _toKube(scope: IConstruct, field: string): K8s.Probe {
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
    const threshold = o.failureThreshold;
    if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) {
      throw new MeshConfigError(scope, `${field}.failureThreshold`, `${threshold} is not a positive integer`, 'use 1 or more');
    }
    return {
      ...this.action,
      initialDelaySeconds: seconds('initialDelay', o.initialDelay, 0),
      periodSeconds: seconds('period', o.period, 1),
      timeoutSeconds: seconds('timeout', o.timeout, 1),
      failureThreshold: threshold,
    };
  }
}
