import { MeshIndex, Resource, Workload } from '../mesh-index';
import { Labels } from '../spec-types';

/** A resource that selects workloads of its namespace by labels. */
export interface LabelSelecting {
  /** The selecting resource. */
  readonly resource: Resource;
  /** Its non-empty label selector. */
  readonly selector: Labels;
}

/**
 * The workloads that more than one of `selecting` select (each in its own namespace), with the
 * resources that select them, in input order.
 */
export function workloadsSelectedTwice(index: MeshIndex, selecting: readonly LabelSelecting[]): Map<Workload, Resource[]> {
  const byWorkload = new Map<Workload, Resource[]>();
  for (const s of selecting) {
    for (const w of index.selectedWorkloads(s.resource.namespace, s.selector)) byWorkload.set(w, [...byWorkload.get(w) ?? [], s.resource]);
  }
  for (const [w, resources] of byWorkload) if (resources.length < 2) byWorkload.delete(w);
  return byWorkload;
}

/** A label selector as Kubernetes prints it: `key=value` pairs sorted by key, comma-separated. */
export function selectorString(selector: Labels | undefined): string {
  return Object.entries(selector ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',');
}
