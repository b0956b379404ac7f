import { Analyzer } from '../analyzer';
import { Doc } from '../mesh-index';

const PRINCIPAL = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;

/**
 * KIA0106: an AuthorizationPolicy names a service account (in a principal or `serviceAccounts`)
 * that does not exist in a namespace the analyzed manifests define, so the rule matches no
 * workload. Namespaces outside the set, and the root namespace (whose accounts the Istio install
 * creates), are not judged.
 */
export const principalServiceAccount: Analyzer = {
  codes: ['KIA0106'],
  analyze(index, report) {
    const accounts = new Set(index.ofKind('ServiceAccount').map(sa => `${sa.namespace}/${sa.name}`));
    // The root namespace's accounts (the gateways') come from the Istio install, not from manifests.
    const check = (ns: string, sa: string) => !index.namespaces.has(ns) || ns === index.rootNamespace || sa === 'default' || accounts.has(`${ns}/${sa}`);
    for (const policy of index.ofKind('AuthorizationPolicy')) {
      (policy.doc.spec?.rules ?? []).forEach((rule: Doc, i: number) => (rule.from ?? []).forEach((from: Doc, j: number) => {
        const field = `spec.rules[${i}].from[${j}].source`;
        (from.source?.principals ?? []).forEach((p: string, k: number) => {
          const m = PRINCIPAL.exec(p);
          if (!m || m[1].includes('*') || m[2].includes('*') || check(m[1], m[2])) return;
          report('KIA0106', policy, `Service Account not found for this principal: "${p}" (no ServiceAccount ${m[2]} in namespace ${m[1]}). Fix the principal or create the ServiceAccount.`, `${field}.principals[${k}]`);
        });
        (from.source?.serviceAccounts ?? []).forEach((s: string, k: number) => {
          const [ns, sa] = s.includes('/') ? s.split('/', 2) : [policy.namespace, s];
          if (check(ns, sa)) return;
          report('KIA0106', policy, `Service Account not found: "${s}" (no ServiceAccount ${sa} in namespace ${ns}). Fix the name or create the ServiceAccount.`, `${field}.serviceAccounts[${k}]`);
        });
      }));
    }
  },
};
