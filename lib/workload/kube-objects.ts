import { ApiObjectProps } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { ResourceQuantities } from './workload-version';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { LibraryApiObject } from '../core/library-api-object';

/**
 * The Kubernetes objects of a workload, built from the typed props of cdk8s-plus-28's generated
 * Kubernetes 1.28 bindings, so the compiler checks every field the library writes.
 *
 * The props are converted to JSON by the generated `KubeX.manifest()` once, here, and the object
 * is a `LibraryApiObject` holding that JSON (lib/core/library-api-object.ts). A `KubeX` object would convert again at every
 * `toJson()`, after the escape-hatch patches are applied, and that second pass silently drops
 * what a patch wrote into a field it does not know and every patched `Quantity` or `IntOrString`
 * value (`limits.cpu: '1'`, a probe `port: 8080`). Here a patch reaches the output as written,
 * and the synth's schema check judges it.
 *
 * The conversion leaves out fields Kubernetes 1.28 does not have (a `securityContext` with
 * `appArmorProfile`, given as untyped JSON): such a field is refused rather than lost.
 */

/** A Deployment (`apps/v1`) from typed props; `owner` is the construct errors name. */
export function kubeDeployment(owner: IConstruct, id: string, props: K8s.KubeDeploymentProps): LibraryApiObject {
  return new LibraryApiObject(owner, id, checked(owner, props, k8s.KubeDeployment.manifest(props)));
}

/** A StatefulSet (`apps/v1`) from typed props; `owner` is the construct errors name. */
export function kubeStatefulSet(owner: IConstruct, id: string, props: K8s.KubeStatefulSetProps): LibraryApiObject {
  return new LibraryApiObject(owner, id, checked(owner, props, k8s.KubeStatefulSet.manifest(props)));
}

/** A Service (`v1`) from typed props; `owner` is the construct errors name. */
export function kubeService(owner: IConstruct, id: string, props: K8s.KubeServiceProps): LibraryApiObject {
  return new LibraryApiObject(owner, id, checked(owner, props, k8s.KubeService.manifest(props)));
}

/** A ServiceAccount (`v1`) from typed props; `owner` is the construct errors name. */
export function kubeServiceAccount(owner: IConstruct, id: string, props: K8s.KubeServiceAccountProps): LibraryApiObject {
  return new LibraryApiObject(owner, id, checked(owner, props, k8s.KubeServiceAccount.manifest(props)));
}

/** Resource requests or limits as the Kubernetes `resources` map (only the quantities set). */
export function kubeQuantities(quantities: ResourceQuantities): Record<string, K8s.Quantity> {
  const result: Record<string, K8s.Quantity> = {};
  for (const [name, value] of Object.entries(quantities)) {
    if (value !== undefined) result[name] = k8s.Quantity.fromString(value);
  }
  return result;
}

/**
 * The paths (`a.b[0].c`) of the fields set in `given` that `rendered` does not hold: what a
 * generated `toJson_…` conversion left out because its Kubernetes version does not know the
 * field. Values that are not plain objects or arrays (a `Quantity`, an `IntOrString`) are leaves.
 */
export function droppedFields(given: unknown, rendered: unknown): string[] {
  const out: string[] = [];
  collectDropped(given, rendered, undefined, out);
  return out;
}

/** Where the walk of {@link droppedFields} is: a chain of keys, made into a path only for a dropped field. */
interface At {
  readonly parent: At | undefined;
  readonly key: string | number;
}

function pathOf(at: At): string {
  const parent = at.parent === undefined ? '' : pathOf(at.parent);
  if (typeof at.key === 'number') return `${parent}[${at.key}]`;
  return parent ? `${parent}.${at.key}` : at.key;
}

function collectDropped(given: unknown, rendered: unknown, at: At | undefined, out: string[]): void {
  if (Array.isArray(given)) {
    const items = Array.isArray(rendered) ? rendered : [];
    for (let i = 0; i < given.length; i++) if (isBranch(given[i])) collectDropped(given[i], items[i], { parent: at, key: i }, out);
    return;
  }
  if (given === null || typeof given !== 'object' || Object.getPrototypeOf(given) !== Object.prototype) return;
  const record = given as Record<string, unknown>;
  const held = rendered !== null && typeof rendered === 'object' ? rendered as Record<string, unknown> : undefined;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    // The generated conversion renames a few keys it spells differently (`clusterIp` → `clusterIP`).
    const heldKey = held === undefined ? undefined : key in held ? key : Object.keys(held).find(k => k.toLowerCase() === key.toLowerCase());
    if (heldKey === undefined) out.push(pathOf({ parent: at, key }));
    else if (isBranch(value)) collectDropped(value, held![heldKey], { parent: at, key }, out);
  }
}

/** Whether the walk goes into a value: only objects can hold fields a conversion dropped. */
function isBranch(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** The generated conversion's `manifest` of `props`, refused when it left out a field `props` set. */
function checked(owner: IConstruct, props: object, manifest: ApiObjectProps): ApiObjectProps {
  const dropped = droppedFields(props, manifest);
  if (dropped.length > 0) {
    throw new MeshConfigError(owner, dropped[0],
      `the Kubernetes 1.28 ${manifest.kind} this library writes has no such field, so it would be left out of the manifests`,
      'remove it, or write it with a JSON patch on the object (svc.deployment(version).addJsonPatch(...)), which the synth checks');
  }
  return manifest;
}
