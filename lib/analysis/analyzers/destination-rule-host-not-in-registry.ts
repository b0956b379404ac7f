import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { msg } from '../message-constructors';

const CLUSTER_LOCAL = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/;

/**
 * KIA0202: a DestinationRule's host is neither a Service nor a ServiceEntry host visible from its
 * namespace, so Istio ignores the rule. A cluster-local host in a namespace the manifests do not
 * hold is not judged (its Service may well exist there), nor is a wildcard host. Kiali's level is
 * Error, or Warning when the mesh allows any outbound traffic (ALLOW_ANY, Istio's default, which
 * the manifests cannot tell otherwise): Warning here.
 */
export const destinationRuleHostNotInRegistry: Analyzer = {
  name: 'destination-rule-host-not-in-registry',
  codes: ['KIA0202'],
  analyze(index, report) {
    for (const dr of index.destinationRules()) {
      const host: unknown = dr.spec.host;
      if (typeof host !== 'string' || host.includes('*')) continue;
      const fqdn = qualifyHost(host, dr.namespace);
      const namespace = CLUSTER_LOCAL.exec(fqdn)?.[1];
      if ((namespace !== undefined && !index.namespaces.has(namespace)) || index.hostKnown(fqdn, dr.namespace)) continue;
      report(dr, msg.destinationRuleHostNotInRegistry(host), 'spec.host');
    }
  },
};
