import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

/** The legacy injection label; its value `enabled` (or its absence) lets the other labels count. */
const INJECTION_LABEL = 'istio-injection';
/** The labels that also pick a data plane: a revision's sidecar, or ambient. */
const OTHER_LABELS = ['istio.io/rev', 'istio.io/dataplane-mode'];

/**
 * IST0123: a Namespace picks its data plane more than one way — `istio-injection`, `istio.io/rev`
 * and `istio.io/dataplane-mode` (sidecar injection and ambient, or a revision and ambient) — so
 * which one applies is undefined. As istioctl: a label counts when present (whatever its value),
 * except that `istio-injection` with a value other than `enabled` (e.g. `disabled`) turns the
 * others off; the root namespace is not judged.
 */
export const namespaceMultipleInjectionLabels: Analyzer = {
  name: 'namespace-multiple-injection-labels',
  codes: ['IST0123'],
  analyze(index, report) {
    for (const ns of index.namespaceResources()) {
      if (ns.name === index.rootNamespace) continue;
      const injection = ns.labels[INJECTION_LABEL];
      const found = injection === undefined ? [] : [`${INJECTION_LABEL}=${injection}`];
      if (injection === undefined || injection === 'enabled') {
        for (const label of OTHER_LABELS) if (ns.labels[label] !== undefined) found.push(`${label}=${ns.labels[label]}`);
      }
      if (found.length < 2) continue;
      report(ns, msg.namespaceMultipleInjectionLabels(found), 'metadata.labels');
    }
  },
};
