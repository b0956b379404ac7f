import { Analyzer } from '../analyzer';
import { list, selects } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';

/**
 * KIA1301: a pod template that no AuthorizationPolicy applies to: none in its namespace or in the
 * root namespace is namespace-wide or selects its labels (policies attached by `targetRef(s)` do
 * not select pods), so its sidecar lets every caller in: the zero-trust gap. Kiali reports every
 * such workload; this analyzer only judges manifests that hold at least one AuthorizationPolicy,
 * so that an app that does not use authorization at all is not reported workload by workload.
 */
export const workloadNotCovered: Analyzer = {
  name: 'workload-not-covered',
  codes: ['KIA1301'],
  analyze(index, report) {
    const policies = index.authorizationPolicies().filter(p => !p.spec.targetRef && list(p.spec.targetRefs).length === 0);
    if (index.authorizationPolicies().length === 0) return;
    const namespaceWide = new Set<string>();
    const selectors = new Map<string, Labels[]>();
    for (const p of policies) {
      const selector = p.spec.selector?.matchLabels ?? {};
      if (Object.keys(selector).length === 0) namespaceWide.add(p.namespace);
      else selectors.set(p.namespace, [...selectors.get(p.namespace) ?? [], selector]);
    }
    const root = index.rootNamespace;
    const rootSelectors = selectors.get(root) ?? [];
    for (const w of index.allWorkloads()) {
      const ns = w.resource.namespace;
      if (namespaceWide.has(ns) || namespaceWide.has(root)) continue;
      if ((ns === root ? [] : selectors.get(ns) ?? []).concat(rootSelectors).some(s => selects(s, w.labels))) continue;
      const field = w.resource.kind === 'Pod' ? 'metadata.labels' : 'spec.template.metadata.labels';
      report(w.resource, msg.workloadNotCoveredByAuthorizationPolicy(ns, root, w.labels), field);
    }
  },
};
