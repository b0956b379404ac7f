import { IConstruct } from 'constructs';
import { checkImage } from '../core/checks';
import { MeshConfigError } from '../core/errors';
import { isLabelValue } from '../core/labels';

/** A duration in the grammar of Prometheus, Loki and Grafana (`1d12h`, `30s`, `500ms`, `0`). */
const PROMETHEUS_DURATION = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

/** Milliseconds per unit of {@link PROMETHEUS_DURATION}. */
const UNIT_MILLIS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1,
};

/**
 * Checks a duration the addons' programs read (Prometheus' intervals, Loki's ages, Grafana's query
 * steps): units from years to milliseconds, largest first, each at most once; an empty string is
 * refused (Prometheus will not start with one). Returns it in milliseconds, for comparisons.
 */
export function checkAddonDuration(scope: IConstruct, field: string, value: string): number {
  if (typeof value !== 'string' || !PROMETHEUS_DURATION.test(value)) {
    throw new MeshConfigError(scope, field, `${JSON.stringify(value)} is not a Prometheus duration`,
      'use units y, w, d, h, m, s, ms, largest first, e.g. "30s", "1h30m" or "15d"');
  }
  let millis = 0;
  for (const [, count, unit] of value.matchAll(/(\d+)(ms|[ywdhms])/g)) millis += Number(count) * UNIT_MILLIS[unit];
  return millis;
}

/**
 * Checks the URL an addon calls or links to: an absolute http or https URL with a host (Kiali
 * and Grafana accept any string here and fail only when they first call it).
 */
export function checkAddonUrl(scope: IConstruct, field: string, url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '' || /\s/.test(url)) {
    throw new MeshConfigError(scope, field, `${JSON.stringify(url)} is not an http or https URL`,
      'give the full URL, e.g. "http://prometheus.istio-system:9090"');
  }
  return url;
}

/** An addon's image, checked, and the `app.kubernetes.io/version` label its tag gives (none without a tag fit for a label). */
export interface AddonImage {
  /** The image reference. */
  readonly image: string;
  /** `{ 'app.kubernetes.io/version': <tag> }`, or `{}` for an image named only by digest, or whose tag is no label value. */
  readonly versionLabel: Readonly<Record<string, string>>;
}

/** Checks an addon's image (`field`, `image` when given, else `fallback`) and reads its version label from the tag. */
export function addonImage(scope: IConstruct, field: string, image: string | undefined, fallback: string): AddonImage {
  const reference = checkImage(scope, field, image ?? fallback);
  const name = reference.split('@')[0];
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
  return { image: reference, versionLabel: tag !== undefined && isLabelValue(tag) ? { 'app.kubernetes.io/version': tag } : {} };
}
