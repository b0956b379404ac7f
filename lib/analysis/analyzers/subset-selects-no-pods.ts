import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { list, selects } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * IST0173: a DestinationRule subset of a Kubernetes Service selects none of the Service's pods
 * (workload pod templates stand in for pods), so routing to it finds no endpoints.
 */
export const subsetSelectsNoPods: Analyzer = {
  name: 'subset-selects-no-pods',
  codes: ['IST0173'],
  analyze(index, report) {
    for (const dr of index.destinationRules()) {
      const host = dr.spec.host;
      const service = typeof host === 'string' ? index.service(qualifyHost(host, dr.namespace)) : undefined;
      const selector = service?.spec.selector;
      if (!service) continue;
      const pods = selector ? index.selectedWorkloads(service.namespace, selector) : [];
      list(dr.spec.subsets).forEach((subset, i) => {
        if (pods.some(p => selects(subset.labels, p.labels))) return;
        const serviceName = `${service.namespace}/${service.name}`;
        report(dr, msg.destinationRuleSubsetNotSelectPods(subset.name, serviceName, subset.labels ?? {}), `spec.subsets[${i}]`);
      });
    }
  },
};
