import { parseIstioDuration } from '../../core/go-duration';
import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The parts of an HTTP rule the check reads. */
interface TimedRule {
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string };
}

/**
 * CDK0003: an HTTP rule whose first try and `retries.attempts` retries, each up to
 * `retries.perTryTimeout`, need longer than its `timeout`, so Envoy cuts the last retries off.
 * Rules without a timeout (or `0s`, none), without a perTryTimeout (each try then has the whole
 * timeout) or with retries disabled are not concerned.
 */
export const retriesExceedRouteTimeout: Analyzer = {
  name: 'retries-exceed-route-timeout',
  codes: ['CDK0003'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      list<TimedRule>(vs.spec.http).forEach((rule, i) => {
        const { timeout, retries } = rule;
        const attempts = retries?.attempts ?? 0;
        if (timeout === undefined || retries?.perTryTimeout === undefined || !Number.isInteger(attempts) || attempts < 1) return;
        const timeoutMs = parseIstioDuration(timeout);
        const perTryMs = parseIstioDuration(retries.perTryTimeout);
        if (timeoutMs === undefined || perTryMs === undefined || timeoutMs === 0 || perTryMs === 0) return;
        const neededMs = (attempts + 1) * perTryMs;
        if (neededMs <= timeoutMs) return;
        report(vs, msg.retriesExceedRouteTimeout({
          attempts,
          perTryTimeout: retries.perTryTimeout,
          timeout,
          neededMs,
          fittingAttempts: Math.max(0, Math.floor(timeoutMs / perTryMs) - 1),
          fittingPerTryMs: Math.floor(timeoutMs / (attempts + 1)),
        }), `spec.http[${i}].retries`);
      });
    }
  },
};
