/**
 * Go duration strings, the form Istio's CRDs take (`1.5s`, `250ms`, `1m30s`): read by the analyzers
 * and the route tests, written by the constructs (duration.ts). No cdk8s here: the command loads it.
 */

/** Milliseconds per unit of a Go duration string. */
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/g;

/** The milliseconds of an Istio duration string such as `2s`, `250ms` or `1m30s`; undefined when it is not one. */
export function parseIstioDuration(text: string): number | undefined {
  if (!/^((\d+(\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * UNIT_MS[unit];
  return ms;
}

/** Milliseconds written the way the constructs write durations (`7s`, `250ms`). */
export function formatMilliseconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Number(ms.toFixed(3))}ms`;
}
