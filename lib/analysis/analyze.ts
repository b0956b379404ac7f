import { Analyzer } from './analyzer';
import { ANALYZERS } from './analyzers';
import { AnalysisInput, Doc, MeshIndex, Resource, identityOf } from './mesh-index';
import { AnalysisMessage, MESSAGE_TYPES, MessageCode } from './messages';

/** The annotation that suppresses codes on one resource, as in istioctl: `IST0102,IST0118` or `*`. */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

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
 * Analyzes a set of manifests the way `istioctl analyze --use-kube=false` does: every analyzer
 * over one index of the set (where an object appears twice, the later one counts), findings suppressed by the resource's `galley.istio.io/analyze-suppress`
 * annotation dropped, sorted by resource, code and field.
 */
export function analyze(inputs: readonly (AnalysisInput | Doc)[], options: AnalyzeOptions = {}): AnalysisMessage[] {
  const index = MeshIndex.of(latestOfEach(inputs.map(toInput)), options.rootNamespace);
  const messages: AnalysisMessage[] = [];
  const report = (code: MessageCode, resource: Resource, message: string, field?: string) => {
    if (suppressed(resource, code)) return;
    const type = MESSAGE_TYPES[code];
    messages.push({ code, name: type.name, level: type.level, message, resource: resource.ref, ...(field && { field }) });
  };
  for (const analyzer of options.analyzers ?? ANALYZERS) analyzer.analyze(index, report);
  const unique = new Map(messages.map(m => [JSON.stringify(m), m]));
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

function toInput(i: AnalysisInput | Doc): AnalysisInput {
  return isInput(i) ? i : { doc: i };
}

function isInput(i: AnalysisInput | Doc): i is AnalysisInput {
  return typeof (i as AnalysisInput).doc === 'object' && typeof (i as Doc).kind !== 'string';
}

function suppressed(resource: Resource, code: MessageCode): boolean {
  const value: unknown = resource.doc.metadata?.annotations?.[SUPPRESS_ANNOTATION];
  if (typeof value !== 'string') return false;
  return value.split(',').map(c => c.trim()).some(c => c === '*' || c === code);
}

function compareMessages(a: AnalysisMessage, b: AnalysisMessage): number {
  const key = (m: AnalysisMessage) => [m.resource.kind, m.resource.namespace ?? '', m.resource.name, m.code, m.field ?? '', m.message].join('\u0000');
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
