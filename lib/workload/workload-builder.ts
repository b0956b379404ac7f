import { ApiObject } from 'cdk8s';
import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { annotateNotSecretEnv } from './env-value';
import { kubeDeployment, kubeStatefulSet } from './kube-objects';
import { QUANTITY, podEnv, podSpec, withDefaults } from './pod-template';
import { containerPortsOf } from './service-port';
import { VolumeClaim, WorkloadDefaults, WorkloadKind, WorkloadVersionProps } from './workload-version';
import { numberProblem } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { k8s } from '../core/kubernetes-l1';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import type { ResolvedServicePort } from '../core/workload-refs';

/** What the workloads a MeshService builds take from it. */
export interface WorkloadOwner {
  /** The service construct: the workloads' scope, and where problems are reported. */
  readonly scope: IConstruct;
  /** The service name, the prefix of the workload names. */
  readonly name: string;
  /** The main container's name. */
  readonly containerName: string;
  /** The service's ports (the main container's ports are their target ports). */
  readonly ports: readonly ResolvedServicePort[];
  /** The ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /** Annotations on every pod template. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The service-wide defaults. */
  readonly defaults?: WorkloadDefaults;
  /** The name of the headless Service a StatefulSet names, created on first use. */
  headlessServiceName(): string;
}

/**
 * The Deployment or StatefulSet of `version` (undefined: an unversioned service's only workload),
 * a child of the service, built from `props` (the service's defaults merged in) and checked at
 * `field`, its pods labelled `labels`.
 */
export function buildWorkload(service: WorkloadOwner, version: string | undefined, field: string,
  labels: Record<string, string>, props: WorkloadVersionProps): ApiObject {
  const annotations = { ...service.podAnnotations, ...props.podAnnotations };
  const merged = withDefaults(service.defaults, props);
  const spec = podSpec(service.scope, field, merged, {
    name: service.containerName,
    ports: containerPortsOf(service.ports),
    portNames: new Map(service.ports.map(p => [p.name, p.targetPort])),
  }, service.serviceAccountName, labels);
  const name = version === undefined ? service.name : `${service.name}-${version}`;
  const id = version === undefined ? 'Deployment' : `Deployment-${version}`;
  const replicas = checkReplicas(service.scope, field, props.replicas ?? 1);
  const template = { metadata: { ...(Object.keys(annotations).length > 0 && { annotations }), labels }, spec };
  const deployment = props.kind === WorkloadKind.STATEFUL_SET
    ? kubeStatefulSet(service.scope, id, {
      metadata: { name, labels },
      spec: {
        serviceName: service.headlessServiceName(),
        replicas,
        selector: { matchLabels: labels },
        ...withClaims(service.scope, field, template, props.volumeClaims ?? []),
      },
    })
    : kubeDeployment(service.scope, id, {
      metadata: { name, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: withClaims(service.scope, field, template, props.volumeClaims, true).template,
      },
    });
  annotateNotSecretEnv(deployment, podEnv(merged));
  return deployment;
}

function checkReplicas(scope: IConstruct, field: string, replicas: number): number {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new MeshConfigError(scope, `${field}.replicas`, numberProblem(replicas, 'is not a number of pods'),
      'use a whole number, 0 or more');
  }
  return replicas;
}

/**
 * The pod template with the claims mounted into the main container, and the claim templates;
 * `deployment` refuses claims (a Deployment has none).
 */
function withClaims(scope: IConstruct, field: string, template: K8s.PodTemplateSpec, claims: VolumeClaim[] | undefined,
  deployment = false): { template: K8s.PodTemplateSpec; volumeClaimTemplates?: K8s.KubePersistentVolumeClaimProps[] } {
  if (claims === undefined || claims.length === 0) return { template };
  if (deployment) {
    throw new MeshConfigError(scope, `${field}.volumeClaims`, 'only a StatefulSet has volume claim templates',
      'set kind: WorkloadKind.STATEFUL_SET, or mount an existing claim with '
      + 'volumes: [{ ..., source: VolumeSource.persistentVolumeClaim(name) }]');
  }
  const spec = template.spec!;
  const [main, ...rest] = spec.containers;
  const taken = new Set((spec.volumes ?? []).map(v => v.name));
  claims.forEach((c, i) => {
    const at = `${field}.volumeClaims[${i}]`;
    checkDnsLabel(scope, `${at}.name`, c.name);
    if (taken.has(c.name)) {
      throw new MeshConfigError(scope, `${at}.name`, `"${c.name}" names another volume of the pod`,
        'give every volume and claim its own name');
    }
    taken.add(c.name);
    if (!QUANTITY.test(c.storage) || c.storage.startsWith('-')) {
      throw new MeshConfigError(scope, `${at}.storage`, `"${c.storage}" is not a storage quantity`, 'use e.g. "1Gi" or "500Mi"');
    }
    if (c.storageClassName !== undefined) checkDnsSubdomain(scope, `${at}.storageClassName`, c.storageClassName);
  });
  const mounts = claims.map(c => ({ name: c.name, mountPath: c.mountPath }));
  return {
    template: {
      ...template,
      spec: { ...spec, containers: [{ ...main, volumeMounts: [...main.volumeMounts ?? [], ...mounts] }, ...rest] },
    },
    volumeClaimTemplates: claims.map(c => ({
      metadata: { name: c.name },
      spec: {
        accessModes: c.accessModes ?? ['ReadWriteOnce'],
        ...(c.storageClassName !== undefined && { storageClassName: c.storageClassName }),
        resources: { requests: { storage: k8s.Quantity.fromString(c.storage) } },
      },
    })),
  };
}
