import type { AuthorizationPolicySpec } from '../../../imports/security.istio.io';
import { Analyzer } from '../analyzer';
import { MeshIndex, TypedResource, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { MtlsMode, mtlsModeFor } from './peer-authentication-modes';

/** The fields of a rule's `source` Istio reads from the caller's mTLS certificate. */
const PEER_IDENTITY_FIELDS = [
  'principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
] as const;

/** The `when` keys Istio reads from the mTLS connection. */
const PEER_IDENTITY_KEYS = new Set(['source.principal', 'source.namespace', 'connection.sni']);

/**
 * The conditions of a policy that a plain-text request (which carries no identity) slips past:
 * field path, and what it matches on. A DENY (or CUSTOM) rule that matches identities does not
 * match a request without one, so it lets it through; an ALLOW rule's negative match (`notPrincipals`,
 * `notValues` on an identity key) matches it, so it lets it in. An ALLOW rule's positive match
 * fails closed (the request matches nothing and is denied) and an AUDIT rule enforces nothing, so
 * neither is a bypass.
 */
function bypassableFields(spec: AuthorizationPolicySpec): { field: string; what: string }[] {
  const action = spec.action ?? 'ALLOW';
  if (action === 'AUDIT') return [];
  const negative = action === 'ALLOW';
  const out: { field: string; what: string }[] = [];
  list(spec.rules).forEach((rule, i) => {
    list(rule.from).forEach((from, j) => {
      const source = (from.source ?? {}) as Readonly<Record<string, unknown>>;
      for (const field of PEER_IDENTITY_FIELDS) {
        if (field.startsWith('not') !== negative || strings(source[field]).length === 0) continue;
        out.push({ field: `spec.rules[${i}].from[${j}].source.${field}`, what: `source.${field}` });
      }
    });
    list(rule.when).forEach((when, k) => {
      if (!PEER_IDENTITY_KEYS.has(when.key) || strings(negative ? when.notValues : when.values).length === 0) return;
      out.push({ field: `spec.rules[${i}].when[${k}].${negative ? 'notValues' : 'values'}`, what: `the condition on ${when.key}` });
    });
  });
  return out;
}

/**
 * The mode of the pods a policy applies to that is furthest from STRICT, and which pods: those its
 * selector picks among the analyzed workloads (every namespace's for the root namespace), or, when
 * none of them is in the manifests, the namespace's (or mesh's) pods in general.
 */
function weakestMode(index: MeshIndex, policy: TypedResource<AuthorizationPolicySpec>): { mtls: MtlsMode; pods: string } | undefined {
  const selector = policy.spec.selector?.matchLabels;
  const namespaces = policy.namespace === index.rootNamespace ? [...index.namespaces] : [policy.namespace];
  for (const ns of namespaces) {
    for (const w of index.selectedWorkloads(ns, selector)) {
      const mtls = mtlsModeFor(index, ns, w.labels);
      if (mtls.mode !== 'STRICT') return { mtls, pods: `the pods of ${w.resource.kind} ${ns}/${w.resource.name}` };
    }
  }
  const anySelected = namespaces.some(ns => index.selectedWorkloads(ns, selector).length > 0);
  if (anySelected) return undefined;
  const mtls = mtlsModeFor(index, policy.namespace, undefined);
  return mtls.mode === 'STRICT' ? undefined : { mtls, pods: `the pods of namespace ${policy.namespace}` };
}

/**
 * KIA0105: an AuthorizationPolicy relies on the caller's mTLS identity (principals, namespaces,
 * service accounts, trust domains, or a `when` on source.principal, source.namespace or
 * connection.sni) in a way a plain-text request slips past (see {@link bypassableFields}), for pods
 * that accept plain text (PeerAuthentication mode PERMISSIVE, Istio's default, or DISABLE): the
 * rule holds only under STRICT mTLS. Kiali reports every identity field there; an ALLOW rule on
 * positive identities is not reported here, as plain text fails it closed. Policies attached by
 * `targetRef(s)` (waypoints, gateways) are not judged.
 */
export const mtlsOnlyFieldsWithoutStrict: Analyzer = {
  name: 'mtls-only-fields-without-strict',
  codes: ['KIA0105'],
  analyze(index, report) {
    for (const policy of index.authorizationPolicies()) {
      if (policy.spec.targetRef || list(policy.spec.targetRefs).length > 0) continue;
      const fields = bypassableFields(policy.spec);
      if (fields.length === 0) continue;
      const weakest = weakestMode(index, policy);
      if (!weakest) continue;
      const { mtls, pods } = weakest;
      const setBy = mtls.policy ? `PeerAuthentication ${mtls.policy.namespace}/${mtls.policy.name}` : undefined;
      for (const { field, what } of fields) report(policy, msg.fieldRequiresMtls(what, pods, mtls.mode, setBy), field);
    }
  },
};
