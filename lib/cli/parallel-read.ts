import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { FileFailure, FileResult, NO_VIOLATIONS, decodeFile } from './read-result';
import { AnalysisInput } from '../analysis/mesh-index';
import { UnreadableInputError, readManifests } from '../analysis/read-manifests';
import { validateDocument } from '../analysis/schema';

/** The environment variable that sets how many worker threads read the files besides the main one: `off` (or 0), or a count. */
export const WORKERS_VARIABLE = 'CDK8S_ISTIO_WORKERS';

/** Below this many bytes of input, one thread reads everything: starting workers would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/** At most this many worker threads by default (besides the main thread, which reads too). */
const MAX_DEFAULT_WORKERS = 3;

/**
 * How many worker threads should read `files` (`totalBytes` in all) beside this one: none for
 * small input, a single file or a single core; else one per further core, at most 3, and fewer
 * threads than files. `CDK8S_ISTIO_WORKERS` overrides it: `off` or `0` for none, a count for that
 * many workers at any size (still fewer than the files).
 */
export function readerThreads(files: readonly string[], totalBytes: number, env: NodeJS.ProcessEnv = process.env): number {
  const setting = env[WORKERS_VARIABLE];
  const limit = files.length - 1;
  if (setting !== undefined && setting !== '') {
    const count = setting === 'off' ? 0 : Number(setting);
    return Number.isInteger(count) && count > 0 ? Math.min(count, limit) : 0;
  }
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(os.availableParallelism() - 1, MAX_DEFAULT_WORKERS, limit));
}

/**
 * Every object of `files`, in file order, read, parsed and schema-checked by this thread and
 * `workers` worker threads, each taking the next unread file: the same objects and errors as
 * reading the files one after the other (the error of the first file that fails wins, whichever
 * thread gets there first), with each object's schema violations already found
 * ({@link AnalysisInput.violations}: the analysis does not check them again). Between its own
 * files, and once none is left, this thread decodes what the workers sent; it blocks until every
 * file is in, so callers stay synchronous.
 */
export function readInParallel(files: readonly string[], workers: number): AnalysisInput[] {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      threads.push(startWorker({ files, signal, port: port2 }, port2));
    }
    return collect(files, signal, ports);
  } finally {
    for (const port of ports) port.close();
    for (const thread of threads) void thread.terminate();
  }
}

/** The files' objects as they come in, from this thread and from the workers; the failures by file. */
class Collected {
  public readonly inputs: (AnalysisInput[] | undefined)[];
  public readonly failures = new Map<number, Error>();
  public received = 0;

  constructor(private readonly files: readonly string[], private readonly signal: Int32Array) {
    this.inputs = new Array(files.length);
  }

  /** Whether every file before the first failure (every file, without one) is in. */
  public complete(): boolean {
    const end = this.failures.size === 0 ? this.files.length : Math.min(...this.failures.keys());
    for (let i = 0; i < end; i++) if (this.inputs[i] === undefined) return false;
    return true;
  }

  public fail(index: number, error: Error): void {
    this.failures.set(index, error);
    Atomics.store(this.signal, 0, this.files.length); // no file after a failure matters
  }

  public take(message: FileResult | FileFailure | { fatal: string }): void {
    this.received++;
    if ('fatal' in message) throw new Error(`a reading thread could not start: ${message.fatal}`);
    if ('failure' in message) {
      const error = message.failure === 'unreadable' ? new UnreadableInputError(message.message) : new Error(message.message);
      this.fail(message.index, Object.assign(error, { name: message.name }));
    } else {
      this.inputs[message.index] = decodeFile(this.files[message.index], message);
    }
  }
}

function collect(files: readonly string[], signal: Int32Array, ports: readonly MessagePort[]): AnalysisInput[] {
  const collected = new Collected(files, signal);
  const drain = () => {
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) collected.take(m.message);
    }
  };
  for (let index = Atomics.add(signal, 0, 1); index < files.length; index = Atomics.add(signal, 0, 1)) {
    try {
      collected.inputs[index] = readChecked(files[index]);
    } catch (e) {
      collected.fail(index, e as Error);
    }
    drain();
  }
  while (!collected.complete()) {
    const posted = Atomics.load(signal, 1);
    if (posted === collected.received) Atomics.wait(signal, 1, posted);
    drain();
  }
  if (collected.failures.size > 0) throw collected.failures.get(Math.min(...collected.failures.keys()));
  return collected.inputs.flat() as AnalysisInput[];
}

/** One file read in this thread, each object with its schema violations, as a worker's come. */
function readChecked(file: string): AnalysisInput[] {
  return readManifests(file).map(({ doc, source }) => {
    const violations = validateDocument(doc);
    return { doc, source, violations: violations.length === 0 ? NO_VIOLATIONS : violations };
  });
}

/**
 * Starts one reading worker on read-worker.ts (run through tsx in a source checkout, as the CLI
 * itself is). A worker that cannot load posts why, so the waiting main thread never hangs on it.
 */
function startWorker(data: { files: readonly string[]; signal: Int32Array; port: MessagePort }, port: MessagePort): Worker {
  const entry = path.join(__dirname, `read-worker${path.extname(__filename)}`);
  const register = entry.endsWith('.ts') ? "require('tsx/cjs/api').register();" : '';
  const code = `const { workerData } = require('worker_threads');
try {
  ${register}
  require(${JSON.stringify(entry)}).runReadWorker(workerData);
} catch (e) {
  workerData.port.postMessage({ fatal: String(e && e.message || e).split('\\n')[0] });
  Atomics.add(workerData.signal, 1, 1);
  Atomics.notify(workerData.signal, 1);
}`;
  const worker = new Worker(code, { eval: true, workerData: data, transferList: [port], resourceLimits: { maxYoungGenerationSizeMb: 48 } });
  worker.unref();
  return worker;
}
