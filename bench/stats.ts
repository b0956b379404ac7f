/**
 * The statistics every figure of `npm run bench` is printed with: the median of its runs, with
 * min–max and n, and targets printed next to the figure they judge ("met" / "MISSED").
 */

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How a figure is printed: its unit and how many decimals. */
export interface Unit {
  readonly name: string;
  /** What one unit is in the measured figure's terms (1000 for seconds of figures in ms). */
  readonly scale: number;
  readonly decimals: number;
}

/** Figures measured in milliseconds, printed in ms. */
export const MS: Unit = { name: 'ms', scale: 1, decimals: 0 };
/** Figures measured in milliseconds, printed in seconds. */
export const SECONDS: Unit = { name: 's', scale: 1000, decimals: 2 };
/** Figures measured in MB, printed in MB. */
export const MB: Unit = { name: 'MB', scale: 1, decimals: 0 };

/** One figure in a unit, e.g. `1.43 s`. */
export function figure(value: number, unit: Unit): string {
  return `${(value / unit.scale).toFixed(unit.decimals)} ${unit.name}`;
}

/** `median unit (min–max, n=…)` of a figure's runs, or `n=0` when it has none. */
export function spread(values: readonly number[], unit: Unit): string {
  if (values.length === 0) return 'not run (n=0)';
  const f = (n: number) => (n / unit.scale).toFixed(unit.decimals);
  return `${f(median(values))} ${unit.name} (${f(Math.min(...values))}–${f(Math.max(...values))}, n=${values.length})`;
}

/** A ratio of two medians with two decimals, or `n/a` when either side was not measured. */
export function ratio(a: readonly number[], b: readonly number[]): string {
  return a.length && b.length ? (median(a) / median(b)).toFixed(2) : 'n/a';
}

/**
 * `value   (target <= limit: met)` or `... MISSED`; `not measured` when the value is missing.
 * `value` is the printed figure, `measured` the number compared with `limit` in the same terms.
 */
export function target(value: string, measured: number | undefined, limit: number, limitText = String(limit)): string {
  if (measured === undefined || Number.isNaN(measured)) return `${value}   (target <= ${limitText}: not measured)`;
  return `${value}   (target <= ${limitText}: ${measured <= limit ? 'met' : 'MISSED'})`;
}
