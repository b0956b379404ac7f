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

/** A Gateway API Duration (GEP-2257): up to four parts of at most five digits and a unit of h, m, s or ms. */
const GATEWAY_API_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/**
 * Renders a cdk8s Duration for a Gateway API field (an HTTPRoute's timeouts): as
 * {@link istioDuration} does when that fits the Gateway API's pattern (`7s`, `250ms`), otherwise
 * in hours, minutes, seconds and milliseconds (`30h`, not `108000s`, which has six digits).
 */
export function gatewayApiDuration(scope: IConstruct, field: string, duration: Duration): string {
  const istio = istioDuration(scope, field, duration);
  if (GATEWAY_API_DURATION.test(istio)) return istio;
  const ms = duration.toMilliseconds();
  const parts: [number, string][] = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'],
    [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  const text = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
  if (!GATEWAY_API_DURATION.test(text)) {
    throw new MeshConfigError(scope, field, `${istio} is longer than a Gateway API duration can be (99999h)`, 'use a shorter Duration');
  }
  return text;
}
