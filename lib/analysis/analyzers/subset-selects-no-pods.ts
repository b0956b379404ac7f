import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { Doc, selects } from '../mesh-index';

/**
 * IST0173: a DestinationRule subset of a Kubernetes Service selects none of the Service's pods
 * (workload pod templates stand in for pods), so routing to it finds no endpoints.
 */
export const subsetSelectsNoPods: Analyzer = {
  codes: ['IST0173'],
  analyze(index, report) {
    for (const dr of index.ofKind('DestinationRule')) {
      const host = dr.doc.spec?.host;
      const service = typeof host === 'string' ? index.service(qualifyHost(host, dr.namespace)) : undefined;
      if (!service) continue;
      const pods = index.workloads(service.namespace).filter(w => selects(service.doc.spec?.selector, w.labels) && service.doc.spec?.selector);
      (dr.doc.spec?.subsets ?? []).forEach((subset: Doc, i: number) => {
        if (pods.some(p => selects(subset.labels, p.labels))) return;
        report('IST0173', dr, `The Subset ${subset.name} defined in the DestinationRule does not select any pods of Service ${service.namespace}/${service.name} (labels ${JSON.stringify(subset.labels ?? {})}). Deploy that version, fix the labels, or remove the subset.`, `spec.subsets[${i}]`);
      });
    }
  },
};
