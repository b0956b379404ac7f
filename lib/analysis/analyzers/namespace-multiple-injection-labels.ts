import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

/** IST0123: a Namespace has both `istio-injection` and `istio.io/rev`, so which proxy it gets is undefined. */
export const namespaceMultipleInjectionLabels: Analyzer = {
  name: 'namespace-multiple-injection-labels',
  codes: ['IST0123'],
  analyze(index, report) {
    for (const ns of index.namespaceResources()) {
      const found = ['istio-injection', 'istio.io/rev'].filter(l => ns.labels[l]);
      if (found.length < 2) continue;
      report(ns, msg.namespaceMultipleInjectionLabels(found), 'metadata.labels');
    }
  },
};
