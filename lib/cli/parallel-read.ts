import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { FileFailure, FileResult, NO_VIOLATIONS, decodeUnit, readUnit } from './read-result';
import { ReadUnit } from './read-units';
import { AnalysisInput } from '../analysis/mesh-index';
import { UnreadableInputError } from '../analysis/read-manifests';
import { validateDocument } from '../analysis/schema';
import { WORKERS_VARIABLE } from '../core/worker-setting';

/** The environment variable that sets how many worker threads read the files besides the main one: `off` (or 0), or a count. */
export { WORKERS_VARIABLE } from '../core/worker-setting';

/** Below this many bytes of input, one thread reads everything: starting workers would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/** At most this many worker threads by default (besides the main thread, which reads too). */
const MAX_DEFAULT_WORKERS = 3;

/**
 * How many worker threads should read beside this one, for `units` read units (files and parts of
 * files) of `totalBytes` in all: none for small input, a single unit or a single core; else one per
 * further core, at most 3, and fewer threads than units. `CDK8S_ISTIO_WORKERS` overrides it: `off`
 * or `0` for none, a count for that many workers at any size (still fewer than the units, and at
 * most two per core).
 */
export function readerThreads(units: number, totalBytes: number, env: NodeJS.ProcessEnv = process.env): number {
  const setting = env[WORKERS_VARIABLE];
  const limit = units - 1;
  if (setting !== undefined && setting !== '') {
    const count = setting === 'off' ? 0 : Number(setting);
    // at most two per core: more only cost memory (1,000 asked for 300 files started 299 threads, 1.3 GB)
    return Number.isInteger(count) && count > 0 ? Math.min(count, limit, 2 * os.availableParallelism()) : 0;
  }
  if (totalBytes < PARALLEL_MIN_BYTES) return 0;
  return Math.max(0, Math.min(os.availableParallelism() - 1, MAX_DEFAULT_WORKERS, limit));
}

/** Whether input of `totalBytes` is read on more than one thread (and so large files are worth cutting into parts). */
export function readsInParallel(totalBytes: number, env: NodeJS.ProcessEnv = process.env): boolean {
  return readerThreads(Infinity, totalBytes, env) > 0;
}

/**
 * Every object of the read units (whole files and parts of large ones, {@link readUnits}), in
 * order, read, parsed and schema-checked by this thread and `workers` worker threads, each taking
 * the next unread unit: the same objects, lines and errors as reading the files one after the
 * other, with each object's schema violations already found ({@link AnalysisInput.violations}: the
 * analysis does not check them again). The error of the first file that fails wins, whichever
 * thread gets there first; a file with a part that failed is read again whole on this thread, for
 * the exact message and line. Between its own units, and once none is left, this thread decodes
 * what the workers sent; it blocks until every unit is in, so callers stay synchronous.
 */
export function readInParallel(units: readonly ReadUnit[], workers: number): AnalysisInput[] {
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const threads: Worker[] = [];
  let collected: Collected;
  try {
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      threads.push(startWorker({ units, signal, port: port2 }, port2));
    }
    collected = collect(units, signal, ports);
  } finally {
    for (const port of ports) port.close();
    for (const thread of threads) void thread.terminate();
  }
  return assemble(units, collected);
}

/** What one unit gave: its objects (lines counted from the unit's start) and line breaks. */
interface UnitObjects {
  readonly inputs: AnalysisInput[];
  readonly lineBreaks: number;
}

/** The units' objects as they come in, from this thread and from the workers; the failures by unit. */
class Collected {
  public readonly read: (UnitObjects | undefined)[];
  public readonly failures = new Map<number, Error>();
  public received = 0;

  constructor(private readonly units: readonly ReadUnit[], private readonly signal: Int32Array) {
    this.read = new Array(units.length);
  }

  /** Whether every unit before the first failure (every unit, without one) is in. */
  public complete(): boolean {
    const end = this.failures.size === 0 ? this.units.length : Math.min(...this.failures.keys());
    for (let i = 0; i < end; i++) if (this.read[i] === undefined) return false;
    return true;
  }

  public fail(index: number, error: Error): void {
    this.failures.set(index, error);
    Atomics.store(this.signal, 0, this.units.length); // no unit after a failure matters
  }

  public take(message: FileResult | FileFailure | { fatal: string }): void {
    this.received++;
    if ('fatal' in message) throw new Error(`a reading thread could not start: ${message.fatal}`);
    if ('failure' in message) {
      const error = message.failure === 'unreadable' ? new UnreadableInputError(message.message) : new Error(message.message);
      this.fail(message.index, Object.assign(error, { name: message.name }));
    } else {
      this.read[message.index] = { inputs: decodeUnit(this.units[message.index].file, message), lineBreaks: message.lineBreaks };
    }
  }
}

function collect(units: readonly ReadUnit[], signal: Int32Array, ports: readonly MessagePort[]): Collected {
  const collected = new Collected(units, signal);
  const drain = () => {
    for (const port of ports) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) collected.take(m.message);
    }
  };
  for (let index = Atomics.add(signal, 0, 1); index < units.length; index = Atomics.add(signal, 0, 1)) {
    try {
      collected.read[index] = readChecked(units[index]);
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
  return collected;
}

/**
 * The objects of every unit in order, each part's lines moved to count from its file's start. The
 * first file (in order) with a failure ends it: a whole file's error is thrown as it is; a file
 * with a failed part, or a unit not read after a failure, is read on this thread, which throws the
 * exact error of a one-thread read (or, should the file read fine now, gives its objects).
 */
function assemble(units: readonly ReadUnit[], collected: Collected): AnalysisInput[] {
  const inputs: AnalysisInput[] = [];
  for (let first = 0; first < units.length;) {
    let end = first + 1;
    while (end < units.length && units[end].range !== undefined && units[end].range!.start > 0) end++;
    const parts = collected.read.slice(first, end);
    const failure = collected.failures.get(first);
    if (!parts.includes(undefined)) { // (a sparse array: `every` would skip the units not read)
      let lineBreaks = 0;
      for (const part of parts as UnitObjects[]) {
        for (const input of part.inputs) inputs.push(lineBreaks === 0 ? input : movedDown(input, lineBreaks));
        lineBreaks += part.lineBreaks;
      }
    } else if (failure !== undefined && units[first].range === undefined) {
      throw failure;
    } else {
      for (const input of readChecked({ file: units[first].file }).inputs) inputs.push(input); // (a spread of 125k+ overflows the stack)
    }
    first = end;
  }
  return inputs;
}

/** An input of a part, its line counted from the start of the file instead of the part's. */
function movedDown(input: AnalysisInput, lines: number): AnalysisInput {
  return { ...input, source: { file: input.source!.file, line: input.source!.line + lines } };
}

/** One unit read in this thread, each object with its schema violations, as a worker's come. */
function readChecked(unit: ReadUnit): UnitObjects {
  const { inputs, lineBreaks } = readUnit(unit);
  return {
    lineBreaks,
    inputs: inputs.map(({ doc, source }) => {
      const violations = validateDocument(doc);
      return { doc, source, violations: violations.length === 0 ? NO_VIOLATIONS : violations };
    }),
  };
}
/**
 * Starts one reading worker on read-worker.ts (run through tsx in a source checkout, as the CLI
 * itself is). A worker that cannot load posts why, so the waiting main thread never hangs on it.
 */
function startWorker(data: { units: readonly ReadUnit[]; signal: Int32Array; port: MessagePort }, port: MessagePort): Worker {
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
