/**
 * Admission rules: what the Kubernetes API server and Istio's validating webhook refuse although
 * the CRD and Kubernetes schemas allow it, checked over plain JSON documents so that every
 * synthesized document obeys them — library-rendered, raw ApiObject, JSON patch or escape hatch.
 *
 * A new area is one module exporting an {@link AdmissionRule}, listed once in {@link RULES}.
 */
import { configMapRules } from './config-map-rules';
import { destinationRuleRules } from './destination-rule-rules';
import { gatewayRules } from './gateway-rules';
import { ingressRules } from './ingress-rules';
import { networkPolicyRules } from './network-policy-rules';
import { podTemplateRules } from './pod-template-rules';
import { rbacRules } from './rbac-rules';
import { rolloutRules } from './rollout-rules';
import { AdmissionRule } from './rule';
import { scalingRules } from './scaling-rules';
import { secretRules } from './secret-rules';
import { authorizationPolicyRules, peerAuthenticationRules, requestAuthenticationRules } from './security-rules';
import { serviceEntryRules } from './service-entry-rules';
import { serviceRules } from './service-rules';
import { sidecarRules } from './sidecar-rules';
import { telemetryRules } from './telemetry-rules';
import { urlCredentialRules } from './url-credential-rules';
import { virtualServiceRules } from './virtual-service-rules';
import { volumeClaimRules } from './volume-claim-rules';
import { workloadSelectorRules } from './workload-selector-rules';
import type { FieldProblem } from '../analysis/schema/violation';

export type { AdmissionRule, Report } from './rule';

/** Every rule module, in reporting order. */
const RULES: readonly AdmissionRule[] = [
  podTemplateRules,
  workloadSelectorRules,
  rolloutRules,
  scalingRules,
  configMapRules,
  rbacRules,
  networkPolicyRules,
  ingressRules,
  volumeClaimRules,
  serviceRules,
  virtualServiceRules,
  destinationRuleRules,
  serviceEntryRules,
  gatewayRules,
  sidecarRules,
  authorizationPolicyRules,
  peerAuthenticationRules,
  requestAuthenticationRules,
  telemetryRules,
  secretRules,
  urlCredentialRules,
];

/** API groups of the Kubernetes built-in kinds: their problems are reported with source `kubernetes`. */
const KUBERNETES_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'policy', 'networking.k8s.io', 'autoscaling',
  'rbac.authorization.k8s.io']);

const RULES_BY_KIND = new Map<string, AdmissionRule[]>();
for (const rule of RULES) {
  for (const kind of rule.kinds) RULES_BY_KIND.set(kind, [...RULES_BY_KIND.get(kind) ?? [], rule]);
}

/**
 * Every admission problem of one document (path from the document root, message `<problem>. Fix: <fix>`);
 * empty when the API server and Istio's webhook would accept it, and for kinds no rule covers.
 * Values of the wrong JSON type are left to the schema check.
 */
export function admissionProblems(doc: Record<string, unknown>): FieldProblem[] {
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const rules = RULES_BY_KIND.get(`${group}/${kind}`);
  if (rules === undefined) return [];
  const problems: FieldProblem[] = [];
  const outer = sink;
  sink = { problems, source: KUBERNETES_GROUPS.has(group) ? 'kubernetes' : 'schema' };
  try {
    for (const rule of rules) rule.check(doc, report);
  } finally {
    sink = outer;
  }
  return problems;
}

/** Where {@link report} puts problems: the document being checked (one reporter for all, not a closure per document). */
let sink: { readonly problems: FieldProblem[]; readonly source: FieldProblem['source'] } | undefined;

function report(path: string, problem: string, fix: string): void {
  sink!.problems.push({ path, message: `${problem}. Fix: ${fix}`, source: sink!.source });
}
