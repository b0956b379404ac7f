/**
 * The safe order in which to apply a change between two syntheses, following Istio's "make before
 * break": a route to a subset must not reach the proxies before the DestinationRule that defines
 * the subset (and the pods it selects), and a subset (or the workload behind it) must not go away
 * before the routes have moved off it. Either mistake gives 503s for the time in between.
 */
import { GATEWAY_API_ROUTE_KINDS, KINDS } from '../analysis/group-kinds';
import { Doc, identityOf } from '../analysis/mesh-index';

/** The name of a phase of an {@link ApplyPlan}, in apply order. */
export type PlanPhaseName = 'workloads' | 'destinations' | 'routes' | 'cleanup';

/** The phases objects belong to by their kind (every phase but `cleanup`): the order of one GitOps commit. */
export type KindPhaseName = Exclude<PlanPhaseName, 'cleanup'>;

/** The phases in apply order, each with what it holds. */
export const PLAN_PHASES: readonly { readonly name: PlanPhaseName; readonly title: string }[] = [
  { name: 'workloads', title: 'workloads, Services, hosts and policies that new routes need (wait for the rollouts)' },
  { name: 'destinations', title: 'DestinationRules with the subsets new routes use (subsets being removed are kept until cleanup)' },
  { name: 'routes', title: 'VirtualServices and Gateway API routes: traffic moves to the new destinations' },
  { name: 'cleanup', title: 'what no route uses any more: removed subsets, workloads, hosts' },
];

/** One object to apply or delete. */
export interface PlanAction {
  /** `create` and `update` apply `doc`; `delete` deletes it. */
  readonly action: 'create' | 'update' | 'delete';
  /** The object to apply in this phase (for `delete`, the object as it was). */
  readonly doc: Doc;
  /** `<group>/<kind>/<namespace>/<name>`, as the API server keys the object. */
  readonly identity: string;
  /** What changes, in words, e.g. `adds subsets v2 (v1 is removed at cleanup)`. */
  readonly reason: string;
}

/** One phase: its actions, applied together, after the previous phase has settled. */
export interface PlanPhase {
  /** The phase. */
  readonly name: PlanPhaseName;
  /** What the phase holds. */
  readonly title: string;
  /** The objects, in apply order (Namespaces first; deletions in the reverse order). */
  readonly actions: readonly PlanAction[];
}

/** The phases that take a cluster from one synthesis to the next without a 503. */
export interface ApplyPlan {
  /** The phases that have actions, in apply order. */
  readonly phases: readonly PlanPhase[];
  /** How many objects are the same in both syntheses. */
  readonly unchanged: number;
  /**
   * How many commits a GitOps engine needs: 1, or 2 when the change both adds and removes (the
   * removals of `cleanup` then go in a second commit, once the first has synced). An engine applies
   * one desired state per commit, and a DestinationRule that gains a subset the new routes use and
   * loses one the old routes use needs a state in between.
   */
  readonly commits: 1 | 2;
}

/** Kinds applied first, in this order (as Helm installs them); other kinds follow by name. */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount',
  'Secret', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition',
  'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'DaemonSet', 'Pod', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'Ingress',
];

/**
 * The phases that apply `newDocs` over a cluster holding `oldDocs` without a 503 (where an object
 * appears twice in one set, the later counts, as applying the files in order would):
 *
 * 1. `workloads`: new and changed objects other than DestinationRules and routes
 *    (Namespaces, ServiceAccounts, Services, Deployments, ServiceEntries, Gateways, policies);
 * 2. `destinations`: new and changed DestinationRules, a rule that also loses subsets still
 *    holding them (the old routes may use them);
 * 3. `routes`: new, changed and deleted VirtualServices and Gateway API routes (HTTPRoute,
 *    GRPCRoute, TCPRoute, TLSRoute), which move traffic as VirtualServices do;
 * 4. `cleanup`: DestinationRules without their removed subsets, and every other deletion.
 */
export function planApply(oldDocs: readonly Doc[], newDocs: readonly Doc[]): ApplyPlan {
  const before = latestObjects(oldDocs);
  const after = latestObjects(newDocs);
  const actions = new Map<PlanPhaseName, PlanAction[]>(PLAN_PHASES.map(p => [p.name, []]));
  const add = (phase: PlanPhaseName, action: PlanAction) => actions.get(phase)!.push(action);
  let unchanged = 0;
  for (const [identity, doc] of after) {
    const old = before.get(identity);
    if (old !== undefined && canonical(old) === canonical(doc)) {
      unchanged++;
      continue;
    }
    const action = old === undefined ? 'create' : 'update';
    if (isRoute(doc)) {
      add('routes', { action, doc, identity, reason: old === undefined ? `routes to ${destinations(doc)}` : routeChange(old, doc) });
    } else if (isKind(doc, KINDS.DestinationRule)) {
      planDestinationRule(identity, old, doc, add);
    } else {
      add('workloads', { action, doc, identity, reason: old === undefined ? 'new' : `changes ${changedFields(old, doc)}` });
    }
  }
  for (const [identity, doc] of before) {
    if (after.has(identity)) continue;
    const phase = isRoute(doc) ? 'routes' : 'cleanup';
    add(phase, { action: 'delete', doc, identity, reason: 'no longer in the new synthesis' });
  }
  const phases = PLAN_PHASES.filter(p => actions.get(p.name)!.length > 0)
    .map(p => ({ ...p, actions: actions.get(p.name)!.sort(compareActions) }));
  const removes = phases.some(p => p.name === 'cleanup');
  return { phases, unchanged, commits: removes && phases.length > 1 ? 2 : 1 };
}

/**
 * The objects a cluster holds after the first `phaseCount` phases of `plan` were applied over
 * `oldDocs` (all of them: the new synthesis, when `phaseCount` is the number of phases), in the
 * order of the plan's new objects, then the old ones still there.
 */
export function stateAfter(plan: ApplyPlan, oldDocs: readonly Doc[], phaseCount = plan.phases.length): Doc[] {
  const state = latestObjects(oldDocs);
  for (const phase of plan.phases.slice(0, phaseCount)) {
    for (const a of phase.actions) {
      state.delete(a.identity);
      if (a.action !== 'delete') state.set(a.identity, a.doc);
    }
  }
  return [...state.values()];
}

/** The phase whose actions GitOps engines apply in the same sync wave as `doc` (by its kind). */
export function phaseOfKind(doc: Doc): KindPhaseName {
  if (isRoute(doc)) return 'routes';
  if (isKind(doc, KINDS.DestinationRule)) return 'destinations';
  return 'workloads';
}

/** A DestinationRule: whole in `destinations`, or split when it loses subsets (kept until `cleanup`). */
function planDestinationRule(identity: string, old: Doc | undefined, doc: Doc, add: (phase: PlanPhaseName, a: PlanAction) => void): void {
  if (old === undefined) {
    add('destinations', { action: 'create', doc, identity, reason: `defines ${subsetList(subsetNames(doc))}` });
    return;
  }
  const oldSubsets = subsetsByName(old);
  const newSubsets = subsetsByName(doc);
  const added = [...newSubsets.keys()].filter(n => !oldSubsets.has(n));
  const removed = [...oldSubsets.keys()].filter(n => !newSubsets.has(n));
  const changed = [...newSubsets.keys()].filter(n => oldSubsets.has(n) && canonical(oldSubsets.get(n)) !== canonical(newSubsets.get(n)));
  const otherFields = changedFields(withoutSubsets(old), withoutSubsets(doc));
  const parts = [
    added.length > 0 && `adds ${subsetList(added)}`,
    changed.length > 0 && `changes ${subsetList(changed)}`,
    otherFields !== '' && `changes ${otherFields}`,
  ].filter((p): p is string => typeof p === 'string');
  if (removed.length === 0) {
    add('destinations', { action: 'update', doc, identity, reason: parts.join(', ') });
    return;
  }
  if (parts.length > 0) {
    const kept = { ...doc, spec: { ...doc.spec, subsets: [...list(doc.spec?.subsets), ...removed.map(n => oldSubsets.get(n))] } };
    const reason = `${parts.join(', ')}; keeps ${subsetList(removed)} until cleanup`;
    add('destinations', { action: 'update', doc: kept, identity, reason });
  }
  add('cleanup', { action: 'update', doc, identity, reason: `removes ${subsetList(removed)}` });
}

/** How a VirtualService's routes change: the destinations before and after, or the fields that differ. */
function routeChange(old: Doc, doc: Doc): string {
  const [from, to] = [destinations(old), destinations(doc)];
  return from === to ? `changes ${changedFields(old, doc)} (same destinations: ${to})` : `routes to ${to} (was ${from})`;
}

/** Whether an object moves traffic: a VirtualService, or a Gateway API route. */
function isRoute(doc: Doc): boolean {
  return isKind(doc, KINDS.VirtualService) || GATEWAY_API_ROUTE_KINDS.some(kind => isKind(doc, kind));
}

/**
 * The destinations of a VirtualService's HTTP, TLS and TCP routes (`reviews:v1 90%, reviews:v2
 * 10%`), or of a Gateway API route's backendRefs (`reviews-v1:9080 weight 90`).
 */
function destinations(doc: Doc): string {
  const seen: string[] = [];
  for (const rule of list(doc.spec?.rules)) {
    for (const ref of list(rule?.backendRefs)) {
      const text = `${ref?.name ?? '?'}${ref?.port ? `:${ref.port}` : ''}${typeof ref?.weight === 'number' ? ` weight ${ref.weight}` : ''}`;
      if (!seen.includes(text)) seen.push(text);
    }
  }
  for (const key of ['http', 'tls', 'tcp']) {
    for (const rule of list(doc.spec?.[key])) {
      for (const route of list(rule?.route)) {
        const d = route?.destination ?? {};
        const text = `${d.host ?? '?'}${d.subset ? `:${d.subset}` : ''}${typeof route.weight === 'number' ? ` ${route.weight}%` : ''}`;
        if (!seen.includes(text)) seen.push(text);
      }
      if (rule?.redirect && !seen.includes('a redirect')) seen.push('a redirect');
    }
  }
  return seen.length > 0 ? seen.join(', ') : 'nothing';
}

/** The fields of two objects that differ, two levels deep: `spec.template, metadata.labels`. */
function changedFields(a: Doc, b: Doc): string {
  const fields: string[] = [];
  for (const key of sortedKeys(a, b)) {
    if (canonical(a[key]) === canonical(b[key])) continue;
    const [x, y] = [a[key], b[key]];
    const inner = isObject(x) && isObject(y) ? sortedKeys(x, y).filter(k => canonical(x[k]) !== canonical(y[k])) : [];
    fields.push(...(inner.length > 0 ? inner.map(k => `${key}.${k}`) : [key]));
  }
  return fields.join(', ');
}

function sortedKeys(a: Doc, b: Doc): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function subsetsByName(dr: Doc): Map<string, Doc> {
  return new Map(list(dr.spec?.subsets).filter(s => typeof s?.name === 'string').map(s => [s.name as string, s]));
}

function subsetNames(dr: Doc): string[] {
  return [...subsetsByName(dr).keys()];
}

function subsetList(names: readonly string[]): string {
  return names.length === 0 ? 'no subsets' : `subset${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
}

function withoutSubsets(dr: Doc): Doc {
  const { subsets: _subsets, ...spec } = isObject(dr.spec) ? dr.spec : {};
  return { ...dr, spec };
}

/**
 * The objects that count when `docs` are applied in order, by identity: the later of each, in the
 * order of last appearance; documents without a string kind are left out.
 */
export function latestObjects(docs: readonly Doc[]): Map<string, Doc> {
  const byId = new Map<string, Doc>();
  for (const doc of docs) {
    if (!isObject(doc) || typeof doc.kind !== 'string') continue;
    const id = identityOf(doc);
    byId.delete(id);
    byId.set(id, doc);
  }
  return byId;
}

/** Applies by kind order, then namespace and name; deletions in the reverse order (Namespaces last). */
function compareActions(a: PlanAction, b: PlanAction): number {
  if ((a.action === 'delete') !== (b.action === 'delete')) return a.action === 'delete' ? 1 : -1;
  const order = compareKeys(sortKey(a.doc), sortKey(b.doc));
  return a.action === 'delete' ? -order : order;
}

function sortKey(doc: Doc): string[] {
  const rank = KIND_ORDER.indexOf(doc.kind);
  return [String(rank < 0 ? KIND_ORDER.length : rank).padStart(3, '0'), doc.kind, doc.metadata?.namespace ?? '', doc.metadata?.name ?? ''];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/** JSON with object keys sorted, so that equal objects give equal text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    (isObject(v) ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]])) : v)) ?? 'undefined';
}

function isKind(doc: Doc, kind: { readonly group: string; readonly kind: string }): boolean {
  return doc.kind === kind.kind && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith(`${kind.group}/`);
}

function list(value: unknown): Doc[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
