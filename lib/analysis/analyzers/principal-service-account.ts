import { Analyzer } from '../analyzer';
import { GATEWAY_API_GATEWAY, gatewayDeployment } from '../gateway-deployment';
import { list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

const PRINCIPAL = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;

/**
 * KIA0106: an AuthorizationPolicy names a service account (in a principal or `serviceAccounts`)
 * that does not exist in a namespace the analyzed manifests define, so the rule matches no
 * workload. Namespaces outside the set, and the root namespace (whose accounts the Istio install
 * creates), are not judged; the accounts Istio creates for the set's Gateway API gateways and
 * waypoints count as defined.
 */
export const principalServiceAccount: Analyzer = {
  name: 'principal-service-account',
  codes: ['KIA0106'],
  analyze(index, report) {
    const accounts = new Set(index.serviceAccounts().map(sa => `${sa.namespace}/${sa.name}`));
    for (const gateway of index.ofKind(GATEWAY_API_GATEWAY)) {
      const deployed = gatewayDeployment(gateway.doc);
      if (deployed) accounts.add(`${gateway.namespace}/${deployed.serviceAccount}`);
    }
    // The root namespace's accounts (the gateways') come from the Istio install, not from manifests.
    const check = (ns: string, sa: string) => !index.namespaces.has(ns) || ns === index.rootNamespace || sa === 'default'
      || accounts.has(`${ns}/${sa}`);
    for (const policy of index.authorizationPolicies()) {
      list(policy.spec.rules).forEach((rule, i) => list(rule.from).forEach((from, j) => {
        const field = `spec.rules[${i}].from[${j}].source`;
        strings(from.source?.principals).forEach((principal, k) => {
          const m = PRINCIPAL.exec(principal);
          if (!m || m[1].includes('*') || m[2].includes('*') || check(m[1], m[2])) return;
          const missing = { principal, namespace: m[1], serviceAccount: m[2] };
          report(policy, msg.serviceAccountNotFoundForPrincipal(missing), `${field}.principals[${k}]`);
        });
        strings(from.source?.serviceAccounts).forEach((entry, k) => {
          const [namespace, serviceAccount] = entry.includes('/') ? entry.split('/', 2) : [policy.namespace, entry];
          if (check(namespace, serviceAccount)) return;
          report(policy, msg.serviceAccountNotFoundForPrincipal({ entry, namespace, serviceAccount }), `${field}.serviceAccounts[${k}]`);
        });
      }));
    }
  },
};
