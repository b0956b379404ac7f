import { Analyzer, Report } from '../analyzer';
import { Doc, Resource, list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The load balancer Istio deprecated (LEAST_REQUEST replaces it). */
const DEPRECATED_LB = 'LEAST_CONN';
/** The kinds whose singular `spec.targetRef` gave way to `spec.targetRefs`, by group then kind (no key string built per resource). */
const TARGET_REF_KINDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['security.istio.io', new Set(['AuthorizationPolicy', 'RequestAuthentication'])],
  ['telemetry.istio.io', new Set(['Telemetry'])],
  ['extensions.istio.io', new Set(['WasmPlugin'])],
]);
/** The group of Istio's removed RBAC kinds (ServiceRole, ServiceRoleBinding, RbacConfig, ClusterRbacConfig). */
const REMOVED_RBAC_GROUP = 'rbac.istio.io';

/**
 * IST0002: fields and kinds Istio deprecated that the schema still accepts — a VirtualService's
 * `mirror_percent`/`mirrorPercent` and fault `delay.percent`, a DestinationRule's `LEAST_CONN`
 * load balancer (in the traffic policy, its port settings and subsets), a policy's singular
 * `targetRef`, a Sidecar's ignored `outboundTrafficPolicy.egressProxy`, and the removed
 * `rbac.istio.io` kinds.
 */
export const deprecatedFields: Analyzer = {
  name: 'deprecated-fields',
  codes: ['IST0002'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      list(vs.spec.http).forEach((route, i) => {
        const raw = route as Doc;
        for (const field of ['mirror_percent', 'mirrorPercent']) {
          if (raw[field] !== undefined) {
            const use = { field: `HTTPRoute.${field}`, replacement: 'HTTPRoute.mirrorPercentage' };
            report(vs, msg.deprecated(use), `spec.http[${i}].${field}`);
          }
        }
        if ((raw.fault as Doc | undefined)?.delay?.percent !== undefined) {
          report(vs, msg.deprecated({ field: 'HTTPRoute.fault.delay.percent', replacement: 'HTTPRoute.fault.delay.percentage' }),
            `spec.http[${i}].fault.delay.percent`);
        }
      });
    }
    for (const dr of index.destinationRules()) {
      reportLeastConn(dr, dr.spec.trafficPolicy, 'spec.trafficPolicy', report);
      list(dr.spec.subsets).forEach((s, i) => reportLeastConn(dr, s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, report));
    }
    for (const sidecar of index.sidecars()) {
      if (sidecar.spec.outboundTrafficPolicy?.egressProxy !== undefined) {
        report(sidecar, msg.deprecated({ field: 'OutboundTrafficPolicy.egressProxy', ignored: true }),
          'spec.outboundTrafficPolicy.egressProxy');
      }
    }
    for (const r of index.resources) {
      if (TARGET_REF_KINDS.get(r.group)?.has(r.kind) === true && (r.spec as Doc).targetRef !== undefined) {
        report(r, msg.deprecated({ field: `${r.kind}.targetRef`, replacement: `${r.kind}.targetRefs` }), 'spec.targetRef');
      } else if (r.group === REMOVED_RBAC_GROUP) {
        report(r, msg.deprecated({ removedKind: `${REMOVED_RBAC_GROUP} ${r.kind}`, instead: 'AuthorizationPolicy' }));
      }
    }
  },
};

/** Reports `LEAST_CONN` in a traffic policy's load balancer and in each of its port settings. */
function reportLeastConn(resource: Resource, policy: Doc | undefined, path: string, report: Report): void {
  if (policy === undefined) return;
  const check = (lb: Doc | undefined, at: string) => {
    if (lb?.simple !== DEPRECATED_LB) return;
    report(resource, msg.deprecated({ field: 'LoadBalancerSettings.LEAST_CONN', replacement: 'LEAST_REQUEST' }), at);
  };
  check(policy.loadBalancer, `${path}.loadBalancer.simple`);
  list(policy.portLevelSettings as Doc[] | undefined)
    .forEach((p, i) => check(p.loadBalancer, `${path}.portLevelSettings[${i}].loadBalancer.simple`));
}
