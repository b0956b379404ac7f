import { Report } from './rule';

/**
 * An int-or-string field such as `maxUnavailable`: a whole number of pods, 0 or more, or a
 * percentage (`25%`) of at most 100% when `upTo100`. Other types are left to the schema check.
 */
export function checkIntOrPercent(value: unknown, path: string, report: Report, upTo100 = false): void {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      report(path, `${value} is not a number of pods`,
        'use a whole number, 0 or more, or a percentage such as "25%"');
    }
    return;
  }
  if (typeof value !== 'string') return;
  const percent = /^([0-9]+)%$/.exec(value);
  if (percent === null) {
    report(path, `${JSON.stringify(value)} is neither a number nor a percentage`, 'write a whole number (1) or a percentage ("25%")');
  } else if (upTo100 && Number(percent[1]) > 100) {
    report(path, `${value} is more than 100%`, 'use a percentage of at most 100%');
  }
}

/** Whether an int-or-string field is zero (`0` or `"0%"`): undefined when it is unset or not valid. */
export function isZero(value: unknown): boolean | undefined {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) return Number(value.slice(0, -1)) === 0;
  return undefined;
}

/** A field that must be a whole number of at least `min` (when set and a number; other types are the schema check's). */
export function checkAtLeast(value: unknown, min: number, path: string, report: Report): void {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < min)) {
    report(path, Number.isInteger(value) ? `${value} is below ${min}` : `${value} is not a whole number`,
      `use a whole number of at least ${min}`);
  }
}
