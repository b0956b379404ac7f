import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ResourceQuantities } from './workload-version';

/**
 * The settings every pod and container a {@link MeshService} builds gets unless the version (or
 * the service's `defaults`) says otherwise. None of them depends on what the image does, so they
 * hold for any image; the README's "Production defaults" section gives the reason for each.
 * Workloads brought with `WorkloadRef.existing()` are the user's own and are left as they are.
 */

/**
 * Resource requests of a container that sets none, per resource: a container that sets only `cpu`
 * still gets the memory request, one that sets a limit and no request gets none (Kubernetes then
 * requests the limit).
 */
export const DEFAULT_REQUESTS: Readonly<Required<ResourceQuantities>> = { cpu: '100m', memory: '128Mi' };

/** The pod-level seccomp profile when the pod security context sets none: the container runtime's default filter. */
export const DEFAULT_SECCOMP_PROFILE: Readonly<K8s.SeccompProfile> = { type: 'RuntimeDefault' };

/** Container ports below this need `NET_BIND_SERVICE` for a root process once every capability is dropped. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/** `requests` with {@link DEFAULT_REQUESTS} for every resource neither `requests` nor `limits` sets. */
export function requestsWithDefaults(requests: ResourceQuantities | undefined, limits: ResourceQuantities | undefined): ResourceQuantities {
  const result: ResourceQuantities = { ...requests };
  for (const name of Object.keys(DEFAULT_REQUESTS) as (keyof ResourceQuantities)[]) {
    if (result[name] === undefined && limits?.[name] === undefined) Object.assign(result, { [name]: DEFAULT_REQUESTS[name] });
  }
  return result;
}

/**
 * The container security context: `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`
 * (with `add: [NET_BIND_SERVICE]` when the container listens on a port below 1024, the one
 * capability the Pod Security Standards' restricted profile allows), then the fields `given` sets,
 * each replacing the default of the same name (`capabilities: {}` keeps the runtime's capabilities).
 * A privileged container, or one that adds `SYS_ADMIN`, escalates by definition: it gets no
 * `allowPrivilegeEscalation` default, which the API server would refuse beside those.
 */
export function containerSecurityContext(given: K8s.SecurityContext | undefined, ports: readonly K8s.ContainerPort[]): K8s.SecurityContext {
  const lowPort = ports.some(p => p.containerPort < FIRST_UNPRIVILEGED_PORT);
  const escalates = given?.privileged === true || (given?.capabilities?.add ?? []).some(c => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN');
  return {
    ...(!escalates && { allowPrivilegeEscalation: false }),
    capabilities: { drop: ['ALL'], ...(lowPort && { add: ['NET_BIND_SERVICE'] }) },
    ...given,
  };
}

/** The pod security context: {@link DEFAULT_SECCOMP_PROFILE}, then the fields `given` sets. */
export function podSecurityContext(given: K8s.PodSecurityContext | undefined): K8s.PodSecurityContext {
  return { seccompProfile: { ...DEFAULT_SECCOMP_PROFILE }, ...given };
}
