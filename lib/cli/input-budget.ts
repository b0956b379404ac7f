import * as fs from 'fs';
import { getHeapStatistics } from 'v8';
import { STDIN_PATH, UnreadableInputError } from '../analysis/read-manifests';

/**
 * How many bytes of heap reading and analyzing one byte of manifests takes, at most: measured as
 * ~19 (50 MB of small documents peak at ~950 MB), rounded up for denser input.
 */
export const HEAP_BYTES_PER_INPUT_BYTE = 24;

/** The most input bytes this process can analyze without running out of heap (which Node cannot catch). */
export function inputBudget(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / HEAP_BYTES_PER_INPUT_BYTE);
}

/**
 * Refuses, before reading anything, a set of files too big for this process's heap: an input error
 * with the sizes and the fix, instead of Node's fatal "heap out of memory" crash halfway through.
 * Returns the total size of the files.
 */
export function checkInputSize(files: readonly string[], budget = inputBudget()): number {
  let total = 0;
  // (the standard input's size is not known before it is read: reading it stops at MAX_FILE_BYTES)
  for (const file of files) total += file === STDIN_PATH ? 0 : fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (total <= budget) return total;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  throw new UnreadableInputError(`${files.length} file(s) hold ${mb(total)}, more than the ${mb(budget)} this process can analyze with its `
    + `${mb(getHeapStatistics().heap_size_limit)} heap. Fix: analyze fewer files at a time, or give Node more heap `
    + '(NODE_OPTIONS=--max-old-space-size=<MB>)');
}
