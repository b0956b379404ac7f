import { Analyzer } from '../analyzer';
import { GroupKind, KINDS, splitApiVersion } from '../group-kinds';
import { Doc } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';

/** The kinds Kiali checks the selector of, and where each keeps it. */
const SELECTING_KINDS: readonly { readonly kind: GroupKind; readonly field: string; readonly labels: (spec: Doc) => unknown }[] = [
  { kind: KINDS.AuthorizationPolicy, field: 'spec.selector.matchLabels', labels: spec => spec.selector?.matchLabels },
  { kind: KINDS.PeerAuthentication, field: 'spec.selector.matchLabels', labels: spec => spec.selector?.matchLabels },
  { kind: KINDS.RequestAuthentication, field: 'spec.selector.matchLabels', labels: spec => spec.selector?.matchLabels },
  { kind: KINDS.Sidecar, field: 'spec.workloadSelector.labels', labels: spec => spec.workloadSelector?.labels },
];

/** The string entries of a label map, or undefined when it has none. */
function labelsOf(value: unknown): Labels | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * KIA0004: an AuthorizationPolicy, PeerAuthentication, RequestAuthentication or Sidecar selects
 * workloads by labels that no pod template of its namespace carries, so it applies to nothing.
 * Kiali looks for the workloads in every namespace; Istio applies such a selector in the
 * resource's own namespace only, and so does this analyzer. The root namespace's resources (whose
 * selectors reach every namespace, and the install's own pods) are not judged.
 */
export const selectorNoWorkload: Analyzer = {
  name: 'selector-no-workload',
  codes: ['KIA0004'],
  analyze(index, report) {
    for (const { kind, field, labels } of SELECTING_KINDS) {
      for (const r of index.ofKind(kind)) {
        if (!kind.versions.includes(splitApiVersion(r.apiVersion).version)) continue;
        const selector = labelsOf(labels(r.spec as Doc));
        if (!selector || r.namespace === index.rootNamespace || index.selectedWorkloads(r.namespace, selector).length > 0) continue;
        report(r, msg.selectorMatchesNoWorkload(r.kind, selector), field);
      }
    }
  },
};
