import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInstance } from './check';
import { MeshConfigError } from './errors';

/**
 * Renders a cdk8s Duration the way Istio's API expects it: whole seconds as `7s`, anything finer
 * as milliseconds (`250ms`). Istio rejects durations below 1ms, so those throw.
 *
 * @param scope construct reported in the error
 * @param field prop reported in the error
 */
export function istioDuration(scope: IConstruct, field: string, duration: Duration): string {
  const ms = checkInstance(scope, field, duration, Duration, 'Duration.seconds(5) or Duration.millis(250) (from cdk8s)')
    .toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 1) {
    throw new MeshConfigError(scope, field, `${ms}ms is not a whole number of milliseconds of at least 1ms`,
      'use a Duration of at least Duration.millis(1), in whole milliseconds');
  }
  return formatMilliseconds(ms);
}

/** Milliseconds per unit of a Go duration string (the form Istio's CRDs take: `1.5s`, `250ms`, `1m30s`). */
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g;

/** The milliseconds of an Istio duration string such as `2s`, `250ms` or `1m30s`; undefined when it is not one. */
export function parseIstioDuration(text: string): number | undefined {
  if (!/^((\d+(\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit];
  return ms;
}

/** Milliseconds written the way {@link istioDuration} writes them (`7s`, `250ms`). */
export function formatMilliseconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Number(ms.toFixed(3))}ms`;
}
