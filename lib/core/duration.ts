import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInstance } from './check';
import { MeshConfigError } from './errors';
import { formatMilliseconds } from './go-duration';

/**
 * Renders a cdk8s Duration the way Istio's API expects it: whole seconds as `7s`, anything finer
 * as milliseconds (`250ms`, go-duration.ts). Istio rejects durations below 1ms, so those throw.
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
