import { Worker, receiveMessageOnPort, MessageChannel, MessagePort } from 'worker_threads';
import { documentJson } from '../core/document-digest';
import { jsYaml } from '../core/js-yaml-lazy';
import { workersOff } from '../core/worker-setting';

/**
 * The YAML of the synthesized documents. For a large app it is made on a worker thread while the
 * main thread runs the schema checks and the analysis (lib/synth/pipeline.ts), which take about as
 * long: at 10,000 services the dump is about a fifth of the synthesis. The documents are cut into
 * chunks that either thread claims (a shared counter): the worker takes them one by one, and when
 * the checks are done this thread dumps every chunk the worker has not claimed, then waits only
 * for those it has. A worker that never starts costs nothing but its start; one that dies is
 * waited for at most {@link STALL_MS} per chunk, whose documents are then dumped here.
 *
 * The worker gets the documents' JSON texts (made once per synthesis: lib/core/document-digest.ts,
 * which also gives the verdict cache its keys) and parses them back: sending a text costs this
 * thread a copy, where a structured clone of the objects cost it a walk of them (0.5-0.9 s at
 * 10,000 services). When a document holds a value JSON would change (-0, NaN, an `undefined`, a
 * `toJSON`, an object of a class: {@link keptByJson}) the worker gets structured clones instead. Either way it
 * dumps them with the same js-yaml and options, so for plain data (what cdk8s's and the library's
 * rendering give) the text is the same byte for byte. A clone keeps no prototype, so the pipeline
 * sends only documents rendered that way; a document that cannot be cloned (a function, a Symbol)
 * keeps the dump on this thread.
 */

/** How every writer formats a document: no line folding, no anchors. */
const DUMP_OPTIONS = { lineWidth: -1, noRefs: true } as const;

/** Below this many documents the YAML is made on the calling thread: a thread costs ~40 ms to start. */
export const THREAD_MIN_DOCUMENTS = 2000;

/** Documents per chunk. */
const CHUNK = 1000;

/** How long this thread waits for a chunk the worker claimed before dumping it itself. */
const STALL_MS = 10_000;

/** One document as YAML, as every writer formats it. */
export function documentYaml(doc: object): string {
  return jsYaml().dump(doc, DUMP_OPTIONS);
}

/** The YAML of documents being dumped: {@link startYamlDump}. */
export interface PendingYaml {
  /** Whether a worker thread is dumping (else each text is made when asked for). */
  readonly threaded: boolean;
  /** Whether the worker got the documents as JSON texts (else as structured clones: a value JSON would change). */
  readonly asJson: boolean;
  /** How many of the documents the worker dumped, once {@link texts} returned (the rest were dumped here). */
  readonly byThread: number;
  /** Each document's YAML, in order: dumps what the worker has not claimed, and waits for the rest. */
  texts(): string[];
  /** Stops the worker, if one is dumping (the synthesis failed). */
  cancel(): void;
}

/**
 * Starts dumping `docs` to YAML: on a worker thread from {@link THREAD_MIN_DOCUMENTS} documents
 * (unless `CDK8S_ISTIO_WORKERS=off`), else on this thread when the texts are asked for. Should the
 * worker fail to start, fail or stall, its chunks are dumped here, which reports any error as before.
 */
export function startYamlDump(docs: readonly object[], env: NodeJS.ProcessEnv = process.env): PendingYaml {
  const here: PendingYaml = { threaded: false, asJson: false, byThread: 0, texts: () => docs.map(documentYaml), cancel: () => undefined };
  if (docs.length < THREAD_MIN_DOCUMENTS || workersOff(env)) return here;
  try {
    return new DumpThread(docs);
  } catch {
    return here; // no worker threads here, or a document that cannot be cloned
  }
}

/** What the worker sends back for a chunk: its texts, or why it could not make them. */
type Reply = { readonly index: number; readonly texts: string[] } | { readonly index: number; readonly failure: string };

/**
 * The worker's program: js-yaml (resolved by the caller), then each chunk it claims dumped and sent.
 * `signal` is `[next chunk to claim, replies posted]`, shared with the main thread.
 */
const THREAD_CODE = `const { workerData } = require('worker_threads');
const { port, signal, chunks, json, jsYaml, options } = workerData;
const yaml = require(jsYaml);
for (let index = Atomics.add(signal, 0, 1); index < chunks.length; index = Atomics.add(signal, 0, 1)) {
  let reply;
  try {
    reply = { index, texts: chunks[index].map(doc => yaml.dump(json ? JSON.parse(doc) : doc, options)) };
  } catch (e) {
    reply = { index, failure: String(e && e.message || e) };
  }
  chunks[index] = undefined;
  port.postMessage(reply);
  Atomics.add(signal, 1, 1);
  Atomics.notify(signal, 1);
}
port.close();`;

/** A worker thread dumping the chunks it claims, waited for synchronously. */
class DumpThread implements PendingYaml {
  public readonly threaded = true;
  public readonly asJson: boolean;
  public byThread = 0;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly chunks: (readonly object[])[] = [];

  constructor(docs: readonly object[]) {
    for (let first = 0; first < docs.length; first += CHUNK) this.chunks.push(docs.slice(first, first + CHUNK));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const json = this.asJson = docs.every(keptByJson);
    const chunks = json ? this.chunks.map(chunk => chunk.map(documentJson)) : this.chunks;
    const workerData = { port: port2, signal: this.signal, chunks, json, jsYaml: require.resolve('js-yaml'), options: DUMP_OPTIONS };
    // no inherited flags (a preload of the app's own is not for this thread); a stack about the
    // main thread's, so that a document too deep to dump here fails there as well
    this.worker = new Worker(THREAD_CODE, {
      eval: true, workerData, transferList: [port2], execArgv: [], resourceLimits: { stackSizeMb: 1 },
    });
    this.worker.on('error', () => undefined); // its chunks are dumped here instead
    this.worker.unref();
  }

  public texts(): string[] {
    try {
      const texts = new Array<(string[] | undefined)>(this.chunks.length);
      const dumpHere = (index: number) => {
        texts[index] = this.chunks[index].map(documentYaml);
      };
      for (let index = Atomics.add(this.signal, 0, 1); index < this.chunks.length; index = Atomics.add(this.signal, 0, 1)) {
        dumpHere(index);
      }
      this.receive(texts, dumpHere);
      return (texts as string[][]).flat();
    } finally {
      this.cancel();
    }
  }

  public cancel(): void {
    Atomics.store(this.signal, 0, this.chunks.length); // nothing more to claim
    this.port.close();
    void this.worker.terminate();
  }

  /** The worker's replies until every chunk has its texts; a failed chunk, or one it stalls on, is dumped here. */
  private receive(texts: (string[] | undefined)[], dumpHere: (index: number) => void): void {
    let received = 0;
    while (texts.includes(undefined)) {
      for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
        const reply = m.message as Reply;
        received++;
        if ('failure' in reply) {
          dumpHere(reply.index); // js-yaml's error, reported from here
        } else {
          texts[reply.index] = reply.texts;
          this.byThread += reply.texts.length;
        }
      }
      if (!texts.includes(undefined)) return;
      const posted = Atomics.load(this.signal, 1);
      if (posted === received && Atomics.wait(this.signal, 1, posted, STALL_MS) === 'timed-out') {
        for (let i = 0; i < texts.length; i++) if (texts[i] === undefined) dumpHere(i);
      }
    }
  }
}

/**
 * Whether `JSON.parse(JSON.stringify(value))` is `value` for js-yaml: strings, booleans, null,
 * finite numbers but -0, and arrays and plain objects of those (no `undefined` member, which
 * JSON drops or turns into null; no other class, whose instance JSON turns into a plain object;
 * no `toJSON` method, which JSON calls and js-yaml does not).
 */
export function keptByJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (value === null) return true;
      if ('toJSON' in value) return false;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) if (value[i] === undefined || !keptByJson(value[i])) return false; // holes too
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key of Object.keys(value)) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined || !keptByJson(member)) return false;
      }
      return true;
    default:
      return false;
  }
}
