import type { MessagePort } from 'worker_threads';
import { encodeUnit } from './read-result';
import { ReadUnit } from './read-units';

/** What a reading worker is started with (its `workerData`). */
export interface ReadWorkerData {
  /** Every unit to read (files and parts of files), in order. */
  readonly units: readonly ReadUnit[];
  /** `[next unit to claim, messages posted]`, shared by the workers and the main thread. */
  readonly signal: Int32Array;
  /** Where results go. */
  readonly port: MessagePort;
}

/**
 * The loop of one reading worker: claims the next unread unit, reads, parses and schema-checks it
 * (read-result.ts), posts the result and signals the main thread, until no unit is left.
 */
export function runReadWorker({ units, signal, port }: ReadWorkerData): void {
  for (let index = Atomics.add(signal, 0, 1); index < units.length; index = Atomics.add(signal, 0, 1)) {
    port.postMessage(encodeUnit(units[index], index));
    Atomics.add(signal, 1, 1); // one more message posted: wake the main thread
    Atomics.notify(signal, 1);
  }
  port.close();
}
