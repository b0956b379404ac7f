import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { EnvValue, envVarsOf } from './env-value';
import { kubeQuantities } from './kube-objects';
import { Probe, ProbeKind } from './probe';
import { containerSecurityContext, podSecurityContext, requestsWithDefaults } from './production-defaults';
import { VolumeSource } from './volume';
import {
  ContainerProps, ContainerSettings, PodSettings, ResourceQuantities, WorkloadDefaults, WorkloadVersionProps,
} from './workload-version';
import { checkInstance } from '../core/check';
import { checkImage, checkPortNumber } from '../core/checks';
import { isIanaSvcName } from '../core/dns';
import { MeshConfigError } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain, checkLabels } from '../core/names';

/**
 * Builds the pod template spec of a workload from a version's props: the main container, init and
 * additional containers, their shared volumes and the pod settings, each checked with the field
 * (`versions.<v>.<prop>`) a problem is reported at.
 */

/** A Kubernetes resource quantity, e.g. `100m`, `0.5`, `128Mi`, `1e3`. */
export const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[mkMGTPE])?$/;

/** Every env variable of the pod's containers (for the not-secret annotation, which lists names only). */
export function podEnv(props: WorkloadVersionProps): Record<string, string | EnvValue> {
  return Object.assign({}, ...[...props.initContainers ?? [], ...props.additionalContainers ?? []].map(c => c.env), props.env);
}

/** A version's props with the service's defaults filled in (see {@link ContainerSettings} and {@link PodSettings} for the merge). */
export function withDefaults(defaults: WorkloadDefaults | undefined, version: WorkloadVersionProps): WorkloadVersionProps {
  if (defaults === undefined) return version;
  const merged = <T extends object>(a: T | undefined, b: T | undefined) => (a || b ? { ...a, ...b } : undefined);
  return {
    ...defaults,
    ...version,
    env: merged(defaults.env, version.env),
    requests: merged(defaults.requests, version.requests),
    limits: merged(defaults.limits, version.limits),
    nodeSelector: merged(defaults.nodeSelector, version.nodeSelector),
  };
}

/** The workload's main container: named, with the Service's container ports and names its probes may use. */
export interface MainContainer {
  /** The container name. */
  readonly name: string;
  /** Container ports (the Service's target ports). */
  readonly ports: K8s.ContainerPort[];
  /** Service port names, by the container port they forward to, for the probes. */
  readonly portNames: ReadonlyMap<string, number>;
}

/** The pod spec of a version: `props` (defaults merged), at `field`, running as `serviceAccountName`. */
export function podSpec(scope: IConstruct, field: string, props: WorkloadVersionProps, main: MainContainer,
  serviceAccountName: string, selectorLabels: Readonly<Record<string, string>>): K8s.PodSpec {
  const volumes = new Map<string, K8s.Volume>();
  const names = new Set<string>();
  const build = (f: string, name: string, image: string, settings: ContainerSettings, ports: K8s.ContainerPort[],
    portNames: ReadonlyMap<string, number>) => {
    checkDnsLabel(scope, `${f}.name`, name);
    if (names.has(name)) {
      throw new MeshConfigError(scope, `${f}.name`, `"${name}" names another container of the pod`, 'give every container its own name');
    }
    names.add(name);
    return container(scope, f, name, image, settings, ports, portNames, volumes);
  };
  const extra = (list: ContainerProps[] | undefined, key: string) => (list ?? []).map((c, i) => {
    const f = `${field}.${key}[${i}]`;
    const ports = (c.ports ?? []).map((p, j): K8s.ContainerPort => {
      checkPortNumber(scope, `${f}.ports[${j}].port`, p.port);
      if (p.name !== undefined && !(isIanaSvcName(p.name) && p.name.length <= 15 && /[a-z]/.test(p.name))) {
        throw new MeshConfigError(scope, `${f}.ports[${j}].name`, `"${p.name}" is not a container port name`,
          'use at most 15 lower-case letters, digits and "-" with at least one letter, no "--", not starting or ending with "-"');
      }
      return { containerPort: p.port, ...(p.name !== undefined && { name: p.name }), ...(p.protocol === 'UDP' && { protocol: 'UDP' }) };
    });
    const portNames = new Map((c.ports ?? []).flatMap(p => (p.name !== undefined ? [[p.name, p.port] as const] : [])));
    return build(f, c.name, c.image, c, ports, portNames);
  });
  const first = build(field, main.name, props.image, props, main.ports, main.portNames);
  const initContainers = extra(props.initContainers, 'initContainers');
  const containers = [first, ...extra(props.additionalContainers, 'additionalContainers')];
  return {
    serviceAccountName,
    ...podSettings(scope, field, props, selectorLabels),
    ...(initContainers.length > 0 && { initContainers }),
    containers,
    ...(volumes.size > 0 && { volumes: [...volumes.values()] }),
  };
}

/** The pod-level fields of `props`, checked. */
function podSettings(scope: IConstruct, field: string, props: PodSettings,
  selectorLabels: Readonly<Record<string, string>>): Partial<K8s.PodSpec> {
  const grace = props.terminationGracePeriod?.toSeconds({ integral: false });
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw new MeshConfigError(scope, `${field}.terminationGracePeriod`, `${grace}s is not a whole number of seconds`,
      'use Duration.seconds(n) with a whole n >= 0');
  }
  const security = props.podSecurityContext;
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const id = security?.[key];
    if (id !== undefined && (!Number.isInteger(id) || id < 0)) {
      throw new MeshConfigError(scope, `${field}.podSecurityContext.${key}`, `${id} is not a user or group id`,
        'use a whole number, 0 or more');
    }
  }
  if (security?.runAsNonRoot === true && security.runAsUser === 0) {
    throw new MeshConfigError(scope, `${field}.podSecurityContext.runAsUser`,
      'runAsNonRoot is true, so the pod cannot run as user 0 (root)',
      'set a non-zero runAsUser, or leave runAsNonRoot out');
  }
  if (security?.seccompProfile) checkSeccomp(scope, `${field}.podSecurityContext.seccompProfile`, security.seccompProfile);
  if (props.priorityClassName !== undefined) checkDnsSubdomain(scope, `${field}.priorityClassName`, props.priorityClassName);
  props.imagePullSecrets?.forEach((name, i) => checkDnsSubdomain(scope, `${field}.imagePullSecrets[${i}]`, name));
  if (props.nodeSelector) checkLabels(scope, `${field}.nodeSelector`, props.nodeSelector);
  props.tolerations?.forEach((t, i) => checkToleration(scope, `${field}.tolerations[${i}]`, t));
  const spread = props.topologySpreadConstraints?.map((c, i) => {
    if (!Number.isInteger(c.maxSkew) || c.maxSkew < 1) {
      throw new MeshConfigError(scope, `${field}.topologySpreadConstraints[${i}].maxSkew`, `${c.maxSkew} is not a positive integer`,
        'use 1 or more');
    }
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      throw new MeshConfigError(scope, `${field}.topologySpreadConstraints[${i}].whenUnsatisfiable`,
        `"${c.whenUnsatisfiable}" is not a Kubernetes value`, 'use "DoNotSchedule" or "ScheduleAnyway"');
    }
    return c.labelSelector ? c : { ...c, labelSelector: { matchLabels: { ...selectorLabels } } };
  });
  return {
    securityContext: podSecurityContext(security),
    ...(grace !== undefined && { terminationGracePeriodSeconds: grace }),
    automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    ...(props.nodeSelector && Object.keys(props.nodeSelector).length > 0 && { nodeSelector: props.nodeSelector }),
    ...(props.tolerations && props.tolerations.length > 0 && { tolerations: props.tolerations }),
    ...(props.affinity && { affinity: props.affinity }),
    ...(spread && spread.length > 0 && { topologySpreadConstraints: spread }),
    ...(props.priorityClassName !== undefined && { priorityClassName: props.priorityClassName }),
    ...(props.imagePullSecrets && props.imagePullSecrets.length > 0 && {
      imagePullSecrets: props.imagePullSecrets.map(name => ({ name })),
    }),
  };
}

function checkSeccomp(scope: IConstruct, field: string, profile: K8s.SeccompProfile): void {
  if (!['RuntimeDefault', 'Localhost', 'Unconfined'].includes(profile.type)) {
    throw new MeshConfigError(scope, `${field}.type`, `"${profile.type}" is not a seccomp profile type`,
      'use "RuntimeDefault" (the container runtime\'s profile), "Localhost" with localhostProfile, or "Unconfined"');
  }
  if ((profile.type === 'Localhost') !== (profile.localhostProfile !== undefined)) {
    throw new MeshConfigError(scope, `${field}.localhostProfile`, 'localhostProfile is required with type Localhost, and only with it',
      'set both type: "Localhost" and localhostProfile, or neither');
  }
}

function checkToleration(scope: IConstruct, field: string, t: K8s.Toleration): void {
  if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') {
    throw new MeshConfigError(scope, `${field}.operator`, `"${t.operator}" is not a toleration operator`,
      'use "Equal" (the default) or "Exists"');
  }
  if (t.operator === 'Exists' && t.value !== undefined) {
    throw new MeshConfigError(scope, `${field}.value`, 'an "Exists" toleration matches any value, so it takes none',
      'remove value, or use "Equal"');
  }
  if (t.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
    throw new MeshConfigError(scope, `${field}.effect`, `"${t.effect}" is not a taint effect`,
      'use "NoSchedule", "PreferNoSchedule" or "NoExecute"');
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    throw new MeshConfigError(scope, `${field}.tolerationSeconds`, 'tolerationSeconds only applies to the NoExecute effect',
      'set effect: "NoExecute", or remove tolerationSeconds');
  }
}

/** One container, its volumes added to the pod's `volumes` (a name mounted twice must have one source). */
function container(scope: IConstruct, field: string, name: string, image: string, s: ContainerSettings, ports: K8s.ContainerPort[],
  portNames: ReadonlyMap<string, number>, volumes: Map<string, K8s.Volume>): K8s.Container {
  const mounts = s.volumes ?? [];
  mounts.forEach((v, i) => {
    if (mounts.findIndex(w => w.name === v.name) !== i) {
      throw new MeshConfigError(scope, `${field}.volumes[${i}].name`, `volume "${v.name}" is listed twice`,
        'give each volume its own name');
    }
    const volume = (v.source ?? VolumeSource.emptyDir())._toVolume(v.name);
    const known = volumes.get(v.name);
    if (known === undefined) {
      volumes.set(v.name, volume);
    } else if (v.source !== undefined && JSON.stringify(known) !== JSON.stringify(volume)) {
      throw new MeshConfigError(scope, `${field}.volumes[${i}].source`,
        `volume "${v.name}" is mounted by another container from another source`,
        'give the volume the same source in every container (or none after the first), or another name');
    }
  });
  const probe = (kind: ProbeKind, key: 'readinessProbe' | 'livenessProbe' | 'startupProbe') =>
    s[key] && {
      [key]: checkInstance(scope, `${field}.${key}`, s[key], Probe, 'Probe.httpGet(\'/healthz\'), Probe.tcp() or Probe.exec([...])')
        ._toKube(scope, `${field}.${key}`, kind, portNames),
    };
  return {
    name,
    image: checkImage(scope, `${field}.image`, image),
    imagePullPolicy: s.imagePullPolicy ?? 'IfNotPresent',
    ...(s.command && { command: s.command }),
    ...(s.args && { args: s.args }),
    ...(s.env && { env: envVarsOf(scope, `${field}.env`, s.env) }),
    ...(ports.length > 0 && { ports }),
    resources: resources(scope, field, s),
    ...probe('readiness', 'readinessProbe'),
    ...probe('liveness', 'livenessProbe'),
    ...probe('startup', 'startupProbe'),
    ...(mounts.length > 0 && {
      volumeMounts: mounts.map(v => ({ name: v.name, mountPath: v.mountPath, ...(v.readOnly && { readOnly: true }) })),
    }),
    securityContext: containerSecurityContext(s.securityContext, ports),
  };
}

/** The container's `resources`: its requests (with the default requests), and its limits. */
function resources(scope: IConstruct, field: string, s: ContainerSettings): K8s.ResourceRequirements {
  const requests = kubeQuantities(checkQuantities(scope, `${field}.requests`, requestsWithDefaults(s.requests, s.limits)));
  return {
    ...(Object.keys(requests).length > 0 && { requests }),
    ...(s.limits && { limits: kubeQuantities(checkQuantities(scope, `${field}.limits`, s.limits)) }),
  };
}

function checkQuantities(scope: IConstruct, field: string, quantities: ResourceQuantities): ResourceQuantities {
  for (const [name, value] of Object.entries(quantities)) {
    if (value !== undefined && !QUANTITY.test(value)) {
      throw new MeshConfigError(scope, `${field}.${name}`, `"${value}" is not a Kubernetes quantity`,
        'use e.g. "100m" or "0.5" for CPU, "128Mi" or "1Gi" for memory');
    }
  }
  return quantities;
}
