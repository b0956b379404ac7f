import { Analyzer } from '../analyzer';

/** IST0123: a Namespace has both `istio-injection` and `istio.io/rev`, so which proxy it gets is undefined. */
export const namespaceMultipleInjectionLabels: Analyzer = {
  codes: ['IST0123'],
  analyze(index, report) {
    for (const ns of index.ofKind('Namespace')) {
      const labels: Record<string, string> = ns.doc.metadata?.labels ?? {};
      const found = ['istio-injection', 'istio.io/rev'].filter(l => labels[l]);
      if (found.length < 2) continue;
      report('IST0123', ns, `The namespace has more than one type of injection labels [${found.join(' ')}], which may lead to undefined behavior. Keep only one.`, 'metadata.labels');
    }
  },
};
