import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

/** The selectors of the gateways an Istio install deploys itself, which the manifests do not hold. */
const INSTALLED_GATEWAYS = new Set(['istio=ingressgateway', 'istio=egressgateway']);

/**
 * KIA0302: an Istio Gateway's selector matches no pod template of the analyzed manifests, in any
 * namespace (Istio's default scope: a Gateway selects gateway pods wherever they run), so no proxy
 * serves its servers. The install's own gateways (`istio: ingressgateway`, `istio: egressgateway`)
 * are exempt, as in Kiali.
 */
export const gatewaySelectorNoWorkload: Analyzer = {
  name: 'gateway-selector-no-workload',
  codes: ['KIA0302'],
  analyze(index, report) {
    for (const gateway of index.gateways()) {
      const selector = gateway.spec.selector ?? {};
      const written = Object.entries(selector).sort().map(([k, v]) => `${k}=${v}`).join(',');
      if (written === '' || INSTALLED_GATEWAYS.has(written)) continue;
      if ([...index.namespaces].some(ns => index.selectedWorkloads(ns, selector).length > 0)) continue;
      report(gateway, msg.gatewaySelectorMatchesNoWorkload(written), 'spec.selector');
    }
  },
};
