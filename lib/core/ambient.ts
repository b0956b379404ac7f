import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { IMeshWorkload } from './workload-refs';

/**
 * What the constructs of one app know about its ambient data plane: which namespaces are enrolled
 * in ambient mode, and which waypoint serves a namespace or a service. MeshNamespace and Waypoint
 * record it; AuthorizationPolicy and RequestAuthentication read it when they render, so the order
 * in which an app declares them does not matter. Kept in lib/core so that lib/security never
 * imports lib/mesh (docs/ARCHITECTURE.md).
 */

/** A waypoint proxy as policies see it: its Gateway's name and namespace, and the identity its pods run as. */
export interface IWaypoint extends IMeshWorkload {
  /** The traffic the waypoint handles (`istio.io/waypoint-for`): `service`, `workload`, `all` or `none`. */
  readonly trafficType: string;
}

/** The ambient state of one app. */
interface AmbientState {
  /** Namespaces a MeshNamespace declares, by name: whether it is ambient. */
  readonly ambient: Map<string, boolean>;
  /** The waypoint each namespace uses, by namespace name. */
  readonly namespaceWaypoints: Map<string, IWaypoint>;
  /** The waypoint each service uses (its own `istio.io/use-waypoint`), by service. */
  readonly serviceWaypoints: Map<IMeshWorkload, IWaypoint>;
  /** What to do once a waypoint serves a service (each callback runs once). */
  readonly pending: Map<IMeshWorkload, (() => void)[]>;
}

const states = new WeakMap<App, AmbientState>();

function stateOf(scope: IConstruct): AmbientState {
  const app = App.of(scope);
  let state = states.get(app);
  if (!state) {
    state = { ambient: new Map(), namespaceWaypoints: new Map(), serviceWaypoints: new Map(), pending: new Map() };
    states.set(app, state);
  }
  return state;
}

/** Records that the app declares `namespace`, in ambient mode or not. */
export function declareNamespace(scope: IConstruct, namespace: string, ambient: boolean): void {
  stateOf(scope).ambient.set(namespace, ambient);
}

/** Whether the app declares `namespace` as an ambient namespace (false when it is not declared, or uses sidecars). */
export function isAmbientNamespace(scope: IConstruct, namespace: string): boolean {
  return stateOf(scope).ambient.get(namespace) === true;
}

/** Whether the app declares `namespace` at all (with a MeshNamespace). */
export function isDeclaredNamespace(scope: IConstruct, namespace: string): boolean {
  return stateOf(scope).ambient.has(namespace);
}

/** Records that every service of `namespace` uses `waypoint` (unless it names its own). */
export function bindNamespaceWaypoint(scope: IConstruct, namespace: string, waypoint: IWaypoint): void {
  const state = stateOf(scope);
  state.namespaceWaypoints.set(namespace, waypoint);
  for (const service of [...state.pending.keys()].filter(s => s.namespace === namespace)) notify(state, service);
}

/** Records that `service` uses `waypoint` (its own label, which wins over its namespace's). */
export function bindServiceWaypoint(service: IMeshWorkload, waypoint: IWaypoint): void {
  const state = stateOf(service);
  state.serviceWaypoints.set(service, waypoint);
  notify(state, service);
}

/** The waypoint that serves `service`: its own, else its namespace's; undefined when none does. */
export function waypointOf(service: IMeshWorkload): IWaypoint | undefined {
  const state = stateOf(service);
  return state.serviceWaypoints.get(service) ?? state.namespaceWaypoints.get(service.namespace);
}

/** The waypoint of a namespace (what serves its namespace-wide policies); undefined when it has none. */
export function namespaceWaypointOf(scope: IConstruct, namespace: string): IWaypoint | undefined {
  return stateOf(scope).namespaceWaypoints.get(namespace);
}

/** Runs `callback` once a waypoint serves `service`: now when one does, else when one is bound to it or its namespace. */
export function whenWaypointServes(service: IMeshWorkload, callback: () => void): void {
  const state = stateOf(service);
  if (waypointOf(service)) {
    callback();
    return;
  }
  state.pending.set(service, [...state.pending.get(service) ?? [], callback]);
}

function notify(state: AmbientState, service: IMeshWorkload): void {
  const callbacks = state.pending.get(service) ?? [];
  state.pending.delete(service);
  for (const callback of callbacks) callback();
}
