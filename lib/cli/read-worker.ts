import type { MessagePort } from 'worker_threads';
import { encodeFile } from './read-result';

/** What a reading worker is started with (its `workerData`). */
export interface ReadWorkerData {
  /** Every file to read, in order. */
  readonly files: readonly string[];
  /** `[next file to claim, messages posted]`, shared by the workers and the main thread. */
  readonly signal: Int32Array;
  /** Where results go. */
  readonly port: MessagePort;
}

/**
 * The loop of one reading worker: claims the next unread file, reads, parses and schema-checks it
 * (read-result.ts), posts the result and signals the main thread, until no file is left.
 */
export function runReadWorker({ files, signal, port }: ReadWorkerData): void {
  for (let index = Atomics.add(signal, 0, 1); index < files.length; index = Atomics.add(signal, 0, 1)) {
    port.postMessage(encodeFile(files[index], index));
    Atomics.add(signal, 1, 1); // one more message posted: wake the main thread
    Atomics.notify(signal, 1);
  }
  port.close();
}
