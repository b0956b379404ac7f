import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppAnalysis } from './app-analysis';
import { appYaml, writeAppFiles } from './app-files';
import { chartsOf, RenderedObject, renderChart } from './render';
import { secretValueProblems } from './secret-values';
import { PendingYaml, documentYaml, startYamlDump } from './yaml-dump';
import { AnalysisCache, AppFindings } from '../analysis/analysis-cache';
import { analyze } from '../analysis/analyze';
import { ANALYZERS } from '../analysis/analyzers';
import { schemaValidation } from '../analysis/analyzers/schema-validation';
import { isListKind } from '../analysis/group-kinds';
import { AnalysisInput, identityOf } from '../analysis/mesh-index';
import { AnalysisMessage, formatMessage, messageKey } from '../analysis/messages';
import { withVerdictCache } from '../analysis/schema';
import { isPlainObject } from '../analysis/schema/field-path';
import { startAtCaller } from '../core/caller-stack';
import { documentDigest } from '../core/document-digest';
import { onLibraryApp } from '../core/registry';
import { StepTimings } from '../core/step-timings';
import { withSynthesisScope } from '../core/synthesis-memo';

/**
 * The synth pipeline, every step in order, shared by every entry point (`writeManifests()`,
 * `app.synth()`, `cdk8s synth`, `Testing.synth()`):
 *
 *   1. charts      the app's charts, in synthesis order                  (render.ts)
 *   2. validate    every construct's own validations (cross-object rules)
 *   3. render      each API object to plain JSON, once                   (render.ts)
 *   4. identities  no two objects of one applied set with one identity
 *   5. check       every document against its schema: CRD OpenAPI + CEL, Kubernetes types, and
 *                  the rules Istio's webhook and the API server enforce (IST0106; kinds without
 *                  a schema pass through, reported once as CDK0001); then no secret value in any
 *                  document: no Secret data, no PEM private key             (secret-values.ts)
 *   6. analyze     the mesh analyzers over each applied set: the base charts, and the base with
 *                  each overlay chart (unless `AppAnalysis.of(app).disable()`)
 *
 * Writers ask for the YAML too (`yaml: true`): for a large app it is dumped on a worker thread
 * during steps 5 and 6 (yaml-dump.ts), and dropped when a step fails.
 *
 * Any problem in a step fails the synthesis with one error listing them all, each naming its
 * construct path, field and fix, before anything is written. Writing (write-manifests.ts, or
 * cdk8s's own `app.synth()`) comes after.
 */

/** What the pipeline produced for an app, ready to be written. */
export interface Synthesis {
  /** The charts, in synthesis order. */
  readonly charts: readonly Chart[];
  /** Whether a chart depends on another (nested charts, or dependencies across charts): cdk8s then numbers its files. */
  readonly dependantCharts: boolean;
  /** Each chart's documents, in order. */
  readonly documents: ReadonlyMap<Chart, readonly RenderedObject[]>;
  /** The findings below the Error level (errors throw): printed by the caller. */
  readonly messages: readonly AnalysisMessage[];
  /** A document's YAML, as every writer formats it: dumped during the checks when `yaml` was asked for. */
  readonly yamlOf: (object: RenderedObject) => string;
  /** The digest of a document's JSON ({@link documentDigest}), which tells a writer whether a file changed. */
  readonly digestOf: (object: RenderedObject) => string;
}

/** Options of {@link synthesize}. */
export interface SynthesizeOptions {
  /**
   * Charts applied one at a time on top of the others (besides those `AppAnalysis.addOverlay()` names).
   * @default none
   */
  readonly overlays?: readonly Chart[];
  /**
   * Dump every document to YAML while the checks run (on a worker thread for a large app), for a
   * caller that writes them; without it {@link Synthesis.yamlOf} dumps each when asked.
   * @default false
   */
  readonly yaml?: boolean;
}

/**
 * The error a failed synthesis throws: every problem found, one per line. `problems` is not
 * enumerable, so that Node, printing an uncaught one, does not list them a second time.
 */
export class SynthesisError extends Error {
  /** Every problem found, each naming its construct path, field and fix. */
  public declare readonly problems: readonly string[];

  /** @param problems every problem found, each naming its construct path, field and fix */
  constructor(problems: readonly string[]) {
    super(`Synthesis failed with ${problems.length} problem(s):\n${problems.map(p => `  - ${p}`).join('\n')}`);
    this.name = 'SynthesisError';
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}

/** The SynthesisErrors of step 2: problems the constructs' own validations report (which cdk8s reports itself). */
const constructProblems = new WeakSet<SynthesisError>();

/** The SynthesisError of step 2. */
function constructProblemsError(problems: readonly string[]): SynthesisError {
  const error = new SynthesisError(problems);
  constructProblems.add(error);
  return error;
}

/** Runs steps 1–6 on an app; throws a {@link SynthesisError} at the first step that finds problems. */
export function synthesize(app: App, options: SynthesizeOptions = {}): Synthesis {
  try {
    return whileBusy(app, () => withSynthesisScope(() => runSteps(app, options)));
  } catch (e) {
    throw fromCaller(e, synthesize);
  }
}

/**
 * `e`, a {@link SynthesisError} with its stack trace cut to the caller of `entry` (the library's
 * function the user called: lib/core/caller-stack.ts): the frames inside the pipeline say nothing
 * the problems do not. Any other error is returned as it is.
 */
export function fromCaller(e: unknown, entry: (...args: never[]) => unknown): unknown {
  if (e instanceof SynthesisError) {
    Error.captureStackTrace(e, entry);
    startAtCaller(e);
  }
  return e;
}

function runSteps(app: App, options: SynthesizeOptions): Synthesis {
  const timings = new StepTimings();
  const constructs = app.node.findAll();
  const { charts, dependant } = chartsOf(app, constructs);
  const validationProblems = validateConstructs(constructs);
  if (validationProblems.length > 0) throw constructProblemsError(validationProblems);
  timings.end('validate');
  const documents = new Map(charts.map(chart => [chart, renderChart(chart)]));
  timings.end('render');
  const analysis = AppAnalysis.of(app);
  for (const overlay of options.overlays ?? []) analysis.addOverlay(overlay);
  const chartSets = analysis.chartSets(charts);
  // The checks read what kubectl applies: a list kind's items (appliedObjects).
  const applied = (of: readonly Chart[]) => appliedObjects(of.flatMap(chart => documents.get(chart)!));
  // An overlay's objects replace the base's: identities must be unique in the base and in each overlay.
  failOn([chartSets[0].charts, ...chartSets.slice(1).map(set => set.charts.slice(-1))].flatMap(set => duplicateIdentities(applied(set))));
  const sets = chartSets.map(set => applied(set.charts));
  const all = [...documents.values()].flat();
  const checked = appliedObjects(all);
  timings.end('identities');
  // a clone keeps no prototype: only documents of cdk8s's or the library's rendering (plain data) go to a thread
  const dump = options.yaml && all.every(o => o.plainData) ? startYamlDump(all.map(o => o.doc)) : undefined;
  if (dump?.threaded) timings.end(`YAML thread started (the documents sent as ${dump.asJson ? 'JSON texts' : 'structured clones'})`);
  try {
    const findings = findingsOf(checked, analysis.enabled ? sets : []);
    timings.end('check and analyze');
    const yamlOf = yamlLookup(all, dump);
    timings.end(dump?.threaded ? `YAML (waiting for the thread, which dumped ${dump.byThread} of them)` : 'YAML');
    timings.print(`Synth timings (${all.length} documents)`);
    // for writers, made now, while the synthesis's digests are kept (most were made for the caches' keys)
    const digests = new Map(options.yaml ? all.map(o => [o, documentDigest(o.doc).sha256]) : []);
    const digestOf = (object: RenderedObject) => digests.get(object) ?? documentDigest(object.doc).sha256;
    return { charts, dependantCharts: dependant, documents, messages: [...findings.checked, ...findings.analyzed], yamlOf, digestOf };
  } catch (e) {
    dump?.cancel();
    throw e;
  }
}

/** Each object's YAML: the texts of `dump` (made for `all`, in order), or dumped when asked without one. */
function yamlLookup(all: readonly RenderedObject[], dump: PendingYaml | undefined): (object: RenderedObject) => string {
  if (!dump?.threaded) return object => documentYaml(object.doc); // one at a time, as each file is written
  const texts = dump.texts();
  const byObject = new Map(all.map((o, i) => [o, texts[i]]));
  return object => byObject.get(object) ?? documentYaml(object.doc);
}

/**
 * What the checks and the analysis read for a synthesis's objects, as `kubectl apply` creates them:
 * each object, but for a list kind (`v1 List`, `ConfigMapList`) the objects in its `items`, each
 * named by the list's construct path.
 */
export function appliedObjects(objects: readonly RenderedObject[]): readonly AnalysisInput[] {
  if (!objects.some(o => isList(o.doc))) return objects;
  return objects.flatMap((o): AnalysisInput[] => (isList(o.doc)
    ? o.doc.items.filter(isPlainObject).map(doc => ({ doc, constructPath: o.constructPath }))
    : [o]));
}

function isList(doc: AnalysisInput['doc']): doc is AnalysisInput['doc'] & { items: unknown[] } {
  return typeof doc.kind === 'string' && isListKind(doc.kind) && Array.isArray((doc as { items?: unknown }).items);
}

/** Step 2: the problems every construct's own validations report, each prefixed with its construct path. */
export function validateConstructs(constructs: readonly IConstruct[]): string[] {
  return constructs.flatMap(c => c.node.validate().map(p => (p.startsWith(`${c.node.path}: `) ? p : `${c.node.path}: ${p}`)));
}

/** Step 4: objects of one applied set with the same identity — `kubectl apply` would keep only the last. */
export function duplicateIdentities(inputs: readonly AnalysisInput[]): string[] {
  const seen = new Map<string, AnalysisInput>();
  const problems: string[] = [];
  for (const input of inputs) {
    const id = identityOf(input.doc);
    const first = seen.get(id);
    if (first) {
      problems.push(`${input.constructPath}: metadata.name: ${input.doc.kind} "${input.doc.metadata?.name}" is also defined by `
        + `${first.constructPath}, and applying both keeps only one. Fix: give one of them another name`);
    } else {
      seen.set(id, input);
    }
  }
  return problems;
}

/**
 * Step 5: every document checked against its schema and the admission rules, once; verdicts of
 * unchanged documents come from the content-keyed cache (lib/analysis/schema/verdict-cache.ts).
 */
export function checkDocuments(inputs: readonly AnalysisInput[]): AnalysisMessage[] {
  return withVerdictCache(() => analyze(inputs, { analyzers: [schemaValidation] }));
}

/**
 * Steps 5 and 6 for an app of one applied set, over one mesh index: every analyzer in one
 * `analyze()`, which runs the schema check first and the mesh analyzers over the documents that
 * passed it. The same messages as {@link checkDocuments} then {@link analyzeSets}, split by code.
 */
function checkAndAnalyze(inputs: readonly AnalysisInput[]): { checked: AnalysisMessage[]; analyzed: AnalysisMessage[] } {
  const messages = withVerdictCache(() => analyze(inputs, { analyzers: ANALYZERS }));
  const schemaCode = (m: AnalysisMessage) => schemaValidation.codes.includes(m.code);
  return { checked: messages.filter(schemaCode), analyzed: messages.filter(m => !schemaCode(m)) };
}

/**
 * Steps 5 and 6: the findings of the checks and of the analyzers over `sets` (none: analysis off),
 * failing on the first step with an error; the findings of an app that passed them with these
 * very documents before come from the analysis cache (lib/analysis/analysis-cache.ts). The
 * secret-value check always runs, and an error found in the cache fails as one found anew.
 */
function findingsOf(all: readonly AnalysisInput[], sets: readonly (readonly AnalysisInput[])[]): AppFindings {
  const cache = AnalysisCache.open();
  const key = cache?.keyOf(all, sets);
  const cached = key === undefined ? undefined : cache!.findings(key);
  if (cached) {
    failOn([...errorsOf(cached.checked), ...secretValueProblems(all), ...errorsOf(cached.analyzed)]);
    return cached;
  }
  // One applied set (no overlays) is checked and analyzed in one pass over one index.
  const once = sets.length === 1 ? checkAndAnalyze(sets[0]) : undefined;
  const checked = once?.checked ?? checkDocuments(all);
  failOn(errorsOf(checked));
  failOn(secretValueProblems(all));
  const analyzed = once?.analyzed ?? analyzeSets(sets);
  failOn(errorsOf(analyzed));
  if (key !== undefined) cache!.remember(key, { checked, analyzed });
  return { checked, analyzed };
}

/** Step 6: the mesh analyzers (all but the schema check, done in step 5) over each applied set; each message once. */
export function analyzeSets(sets: readonly (readonly AnalysisInput[])[]): AnalysisMessage[] {
  const analyzers = ANALYZERS.filter(a => a !== schemaValidation);
  const seen = new Map<string, AnalysisMessage>();
  for (const set of sets) for (const m of analyze(set, { analyzers })) seen.set(messageKey(m), m);
  return [...seen.values()];
}

/** Prints findings below the Error level to stderr, as `istioctl analyze` does. */
export function printMessages(messages: readonly AnalysisMessage[]): void {
  for (const m of messages) process.stderr.write(`${formatMessage(m)}\n`);
}

function errorsOf(messages: readonly AnalysisMessage[]): string[] {
  return messages.filter(m => m.level === 'Error').map(formatMessage);
}

function failOn(problems: readonly string[]): void {
  if (problems.length > 0) throw new SynthesisError(problems);
}

/** Apps whose pipeline is running: their app-root validation is off. */
const busy = new WeakSet<App>();

/**
 * `app.synth()`, `app.synthYaml()` and `Testing.synth()` of an app holding library constructs run
 * the same steps. `app.synth()` and `app.synthYaml()` run the pipeline, then write what it
 * rendered as cdk8s would (app-files.ts) rather than running cdk8s's own synthesis, which would
 * validate and render the whole app again for every chart. `Testing.synth(chart)` (and
 * `chart.toJson()`) only validate the app before rendering, so the pipeline also runs as a
 * validation of the app's root — except while the pipeline itself is running.
 */
onLibraryApp(app => {
  AppAnalysis.of(app).node.addValidation({
    validate: () => {
      if (busy.has(app)) return [];
      try {
        printMessages(synthesize(app).messages);
        return [];
      } catch (e) {
        // cdk8s reports the constructs' own problems (step 2) itself; the pipeline adds the rest.
        if (e instanceof SynthesisError && constructProblems.has(e)) return [];
        if (e instanceof SynthesisError) return [...e.problems];
        throw e;
      }
    },
  });
  const synthesized = () => {
    const synthesis = synthesize(app, { yaml: true });
    printMessages(synthesis.messages);
    return synthesis;
  };
  Object.defineProperty(app, 'synth', { configurable: true, value: calledByUser(() => writeAppFiles(app, synthesized())) });
  Object.defineProperty(app, 'synthYaml', { configurable: true, value: calledByUser(() => appYaml(synthesized())) });
});

/** `fn` as a method the user calls: a {@link SynthesisError}'s stack starts at the call, as writeManifests()'s does. */
function calledByUser<T>(fn: () => T): () => T {
  const entry = (): T => {
    try {
      return fn();
    } catch (e) {
      throw fromCaller(e, entry);
    }
  };
  return entry;
}

/** Runs `fn` with the app-root validation of `app` off. */
function whileBusy<T>(app: App, fn: () => T): T {
  if (busy.has(app)) return fn();
  busy.add(app);
  try {
    return fn();
  } finally {
    busy.delete(app);
  }
}
