import { Analyzer, AnalyzerError, Report, analyzerName } from './analyzer';
import { ANALYZERS } from './analyzers';
import { AnalysisInput, Doc, MeshIndex, Resource, identityOf } from './mesh-index';
import { AnalysisMessage, MESSAGE_TYPES, MessageCode, messageKey } from './messages';
import { describeGiven } from '../core/check';
import { redactSecrets } from '../core/secret-redaction';

/** The annotation that suppresses codes on one resource, as in istioctl: `IST0102,IST0118` or `*`. */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/** The schema code: analyzers reporting it run first, and the resources it names are not analyzed further. */
const SCHEMA_CODE: MessageCode = 'IST0106';

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * The mesh root namespace (mesh-wide policies live there).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The analyzers to run.
   * @default every analyzer
   */
  readonly analyzers?: readonly Analyzer[];
}

/**
 * Analyzes a set of manifests the way `istioctl analyze --use-kube=false` does: one index of the
 * set (where an object appears twice, the later one counts); the schema check (IST0106) first,
 * over every document; then every other analyzer over the documents that passed it (as istioctl
 * does not analyze invalid resources). Findings suppressed by the resource's
 * `galley.istio.io/analyze-suppress` annotation are dropped; the rest come sorted by resource,
 * code and field.
 *
 * @throws AnalyzerError when an analyzer fails (a bug, not an input problem), naming it
 */
export function analyze(inputs: readonly (AnalysisInput | Doc)[], options: AnalyzeOptions = {}): AnalysisMessage[] {
  if (!Array.isArray(inputs)) {
    throw new TypeError(`analyze() takes a list of documents, not ${describeGiven(inputs)}. Fix: pass [document, ...] `
      + '(readManifests(file) gives the documents of a file)');
  }
  const all = MeshIndex.ofLatest(inputs.map(toInput), options.rootNamespace);
  const messages: AnalysisMessage[] = [];
  const invalid = new Set<Resource>();
  const report: Report = (resource, message, field) => {
    if (message.code === SCHEMA_CODE) invalid.add(resource);
    if (suppressed(resource, message.code)) return;
    const type = MESSAGE_TYPES[message.code];
    const { code, text } = message;
    // a finding quotes values, which may hold a secret: it is printed, and must not show it
    const { name, level } = type;
    messages.push({ code, name, level, message: redactSecrets(text), resource: resource.ref, ...(field && { field }) });
  };
  const analyzers = options.analyzers ?? ANALYZERS;
  const schemaCheckers = analyzers.filter(a => a.codes.includes(SCHEMA_CODE));
  for (const analyzer of schemaCheckers) run(analyzer, all, report);
  const valid = all.without(invalid);
  for (const analyzer of analyzers) if (!schemaCheckers.includes(analyzer)) run(analyzer, valid, report);
  const unique = new Map(messages.map(m => [messageKey(m), m]));
  return [...unique.values()].sort(compareMessages);
}

/**
 * One input per object identity (API group, kind, namespace, name): a later document replaces an
 * earlier one, as applying the files in order would.
 */
export function latestOfEach(inputs: readonly AnalysisInput[]): AnalysisInput[] {
  const byId = new Map<string, AnalysisInput>();
  for (const input of inputs) {
    const id = identityOf(input.doc);
    byId.delete(id);
    byId.set(id, input);
  }
  return [...byId.values()];
}

/** Runs one analyzer; anything it throws becomes an {@link AnalyzerError} naming it. */
function run(analyzer: Analyzer, index: MeshIndex, report: Report): void {
  try {
    analyzer.analyze(index, report);
  } catch (e) {
    throw new AnalyzerError(analyzerName(analyzer), e);
  }
}

function toInput(i: AnalysisInput | Doc): AnalysisInput {
  return isInput(i) ? i : { doc: i };
}

function isInput(i: AnalysisInput | Doc): i is AnalysisInput {
  return typeof i === 'object' && i !== null && typeof i.doc === 'object' && i.doc !== null && typeof (i as Doc).kind !== 'string';
}

function suppressed(resource: Resource, code: MessageCode): boolean {
  const value = resource.annotations[SUPPRESS_ANNOTATION];
  if (value === undefined) return false;
  return value.split(',').map(c => c.trim()).some(c => c === '*' || c === code);
}

function compareMessages(a: AnalysisMessage, b: AnalysisMessage): number {
  const key = (m: AnalysisMessage) =>
    [m.resource.kind, m.resource.namespace ?? '', m.resource.name, m.code, m.field ?? '', m.message].join('\u0000');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
