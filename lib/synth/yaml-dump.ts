import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import { jsYaml } from '../core/js-yaml-lazy';
import { workersOff } from '../core/worker-setting';

/**
 * The YAML of the synthesized documents. For a large app it is made on a worker thread while the
 * main thread runs the schema checks and the analysis (lib/synth/pipeline.ts), which take about as
 * long: at 10,000 services the dump is about a fifth of the synthesis. The thread gets structured
 * clones of the documents (which keep every value js-yaml sees, unlike a JSON text: -0, NaN,
 * undefined) and dumps them with the same js-yaml and options, so the text is the same byte for
 * byte; a document that cannot be cloned (a function, a Symbol) is dumped on this thread instead.
 */

/** How every writer formats a document: no line folding, no anchors. */
const DUMP_OPTIONS = { lineWidth: -1, noRefs: true } as const;

/** Below this many documents the YAML is made on the calling thread: a thread costs ~40 ms to start. */
export const THREAD_MIN_DOCUMENTS = 2000;

/** Documents per message to the thread, so that it starts dumping while the rest are still sent. */
const CHUNK = 1000;

/** How long a thread may go without sending a chunk before its work is done here instead. */
const STALL_MS = 60_000;

/** One document as YAML, as every writer formats it. */
export function documentYaml(doc: object): string {
  return jsYaml().dump(doc, DUMP_OPTIONS);
}

/** The YAML of documents being dumped: {@link startYamlDump}. */
export interface PendingYaml {
  /** Whether a worker thread is making the texts. */
  readonly threaded: boolean;
  /** Each document's YAML, in order: waits for the thread, if one is dumping. */
  texts(): string[];
  /** Stops the thread, if one is dumping (the synthesis failed). */
  cancel(): void;
}

/**
 * Starts dumping `docs` to YAML: on a worker thread from {@link THREAD_MIN_DOCUMENTS} documents
 * (unless `CDK8S_ISTIO_WORKERS=off`), else when the texts are asked for. Should the thread fail to
 * start or stop sending, the texts are made on this thread, which reports any error as before.
 */
export function startYamlDump(docs: readonly object[], env: NodeJS.ProcessEnv = process.env): PendingYaml {
  const here: PendingYaml = { threaded: false, texts: () => docs.map(documentYaml), cancel: () => undefined };
  if (docs.length < THREAD_MIN_DOCUMENTS || workersOff(env)) return here;
  let thread: DumpThread;
  try {
    thread = new DumpThread(docs);
  } catch {
    return here;
  }
  return {
    threaded: true,
    texts: () => {
      try {
        return thread.texts() ?? here.texts();
      } finally {
        thread.stop();
      }
    },
    cancel: () => thread.stop(),
  };
}

/** What the thread sends back: a chunk's texts, or why it could not make them. */
type Reply = { readonly first: number; readonly texts: string[] } | { readonly failure: string };

/** The worker thread's program: js-yaml (resolved by the caller) dumping each chunk of documents. */
const THREAD_CODE = `const { workerData } = require('worker_threads');
const { port, signal, jsYaml, options } = workerData;
const reply = message => { port.postMessage(message); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
try {
  const yaml = require(jsYaml);
  port.on('message', ({ first, docs }) => {
    try {
      reply({ first, texts: docs.map(doc => yaml.dump(doc, options)) });
    } catch (e) {
      reply({ failure: String(e && e.message || e) });
    }
  });
} catch (e) {
  reply({ failure: String(e && e.message || e) });
}`;

/** One worker thread dumping documents sent to it in chunks, waited for synchronously. */
class DumpThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** `[replies posted]`, which the thread raises and this thread waits on. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly chunks: number;

  constructor(private readonly docs: readonly object[]) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData = { port: port2, signal: this.signal, jsYaml: require.resolve('js-yaml'), options: DUMP_OPTIONS };
    this.worker = new Worker(THREAD_CODE, { eval: true, workerData, transferList: [port2] });
    this.worker.unref();
    this.chunks = Math.ceil(docs.length / CHUNK);
    try {
      for (let first = 0; first < docs.length; first += CHUNK) this.port.postMessage({ first, docs: docs.slice(first, first + CHUNK) });
    } catch (e) {
      this.stop(); // a document that cannot be cloned
      throw e;
    }
  }

  /** Every document's YAML, in order; undefined when the thread failed or stalled. */
  public texts(): string[] | undefined {
    const texts = new Array<string>(this.docs.length);
    for (let received = 0; received < this.chunks;) {
      const posted = Atomics.load(this.signal, 0);
      if (posted === received && Atomics.wait(this.signal, 0, posted, STALL_MS) === 'timed-out') return undefined;
      for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) {
        const reply = m.message as Reply;
        if ('failure' in reply) return undefined;
        for (let i = 0; i < reply.texts.length; i++) texts[reply.first + i] = reply.texts[i];
        received++;
      }
    }
    return texts;
  }

  public stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
