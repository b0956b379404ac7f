import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { WorkloadTarget, servicePortsOf } from './workload-selector';
import { IWaypoint, isAmbientNamespace, namespaceWaypointOf, waypointOf } from '../core/ambient';
import { formatProblem } from '../core/errors';
import type { IMeshWorkload } from '../core/workload-refs';

/**
 * Where a policy is enforced in ambient mode. ztunnel (the node proxy) enforces policies that
 * select pods (`selector`, or none) and understands only L4 attributes: a policy with an L7
 * attribute that ztunnel enforces fails safe as a DENY of all traffic. A waypoint enforces
 * policies attached to it through `targetRefs` — to a Service that uses the waypoint, or to the
 * waypoint's Gateway — with L4 and L7 attributes, and it sees the original caller, whereas the
 * destination's ztunnel sees the waypoint's identity on what the waypoint forwards.
 *
 * So in an ambient namespace a policy on a MeshService that a waypoint serves is attached to the
 * service's Services (`targetRefs: [{ kind: Service }]`, its version Services included); a namespace-wide policy with L7 attributes is
 * attached to the namespace's waypoint (`kind: Gateway`); any other policy stays on ztunnel, and
 * an L7 attribute there is refused.
 */

/** A resource a policy attaches to. */
export interface PlacementTargetRef {
  /** The API group (empty for core kinds). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
}

/** Where one policy goes. */
export type Placement =
  /** On ztunnel or a sidecar: the selector as written (none for a namespace-wide policy). */
  | { readonly on: 'selector' }
  /** On a waypoint, attached through targetRefs. */
  | { readonly on: 'waypoint'; readonly waypoint: IWaypoint; readonly targetRefs: readonly PlacementTargetRef[] };

/** The Gateway API group, in targetRefs to a waypoint's Gateway. */
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Where a policy of `namespace` selecting `target` (none: namespace-wide) is enforced; `needsL7` when it has an L7 attribute. */
export function placementOf(scope: IConstruct, namespace: string, target: WorkloadTarget | undefined, needsL7: boolean): Placement {
  if (!isAmbientNamespace(scope, namespace)) return { on: 'selector' };
  if (target !== undefined && isWorkload(target)) {
    const waypoint = servedWaypoint(target);
    return waypoint ? { on: 'waypoint', waypoint, targetRefs: serviceNamesOf(target).map(name => ({ group: '', kind: 'Service', name })) }
      : { on: 'selector' };
  }
  const waypoint = target === undefined ? namespaceWaypointOf(scope, namespace) : undefined;
  if (needsL7 && waypoint && waypoint.namespace === namespace) {
    return { on: 'waypoint', waypoint, targetRefs: [{ group: GATEWAY_GROUP, kind: 'Gateway', name: waypoint.name }] };
  }
  return { on: 'selector' };
}

/** The waypoint that serves a workload's Service; undefined when none does, or the workload has no Service. */
export function servedWaypoint(target: IMeshWorkload): IWaypoint | undefined {
  const ports = servicePortsOf(target);
  return ports !== undefined && ports.length === 0 ? undefined : waypointOf(target);
}

/**
 * The problem with a policy that ztunnel would enforce although it needs L7 processing (`l7Field`
 * names the first L7 attribute), in an ambient namespace; undefined otherwise.
 */
export function ztunnelL7Problem(scope: IConstruct, namespace: string, target: WorkloadTarget | undefined,
  l7Field: string | undefined): string | undefined {
  if (l7Field === undefined || !isAmbientNamespace(scope, namespace)) return undefined;
  if (placementOf(scope, namespace, target, true).on === 'waypoint') return undefined;
  const where = `in ambient namespace ${namespace}`;
  const what = target === undefined ? `the workloads ${where}`
    : isWorkload(target) ? `${target.node.path} ${where}` : `pods selected by labels ${where}`;
  const fix = target !== undefined && !isWorkload(target)
    ? 'select a MeshService (the policy is then attached to the waypoint that serves it) or set targetRefs; '
      + 'or keep only L4 conditions (callers, ports)'
    : 'send the traffic through a waypoint: MeshNamespace.addWaypoint() (or useWaypoint(waypoint)), or waypoint.enroll(service); '
      + 'or keep only L4 conditions (callers, ports), which ztunnel enforces';
  return formatProblem(scope, l7Field, `this is an L7 attribute and no waypoint serves ${what}: ztunnel enforces only L4 `
    + 'and would turn the policy into a DENY of all traffic', fix);
}

/**
 * Every Service of a workload — its own, and those it holds for single versions (`reviews-v1`,
 * what Gateway API routes name) or its StatefulSet's pods — since a waypoint applies the policies
 * attached to the Service a call addresses: a policy on `reviews` alone would not guard calls to
 * `reviews-v1`.
 */
function serviceNamesOf(target: IMeshWorkload): string[] {
  const names = target.node.children.filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service' && c.apiVersion === 'v1')
    .map(c => c.name);
  return names.length > 0 ? names : [target.name];
}

function isWorkload(target: WorkloadTarget): target is IMeshWorkload {
  return Construct.isConstruct(target);
}
