import { Construct, IConstruct } from 'constructs';
import { describeGiven, isPlainRecord } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { checkLabelValue } from '../core/names';
import { checkSameApp } from '../core/source-identities';
import type { IMeshWorkload, IRoutableService, ResolvedServicePort } from '../core/workload-refs';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The pods a policy applies to: a MeshService's workloads or explicit pod labels. */
export type WorkloadTarget = IMeshWorkload | Record<string, string>;

/**
 * The `selector.matchLabels` for a target: `{ app: <name> }` for a MeshService. Label values may
 * not contain wildcards (Istio rejects them), and an empty selector is refused because it silently
 * widens the policy to the whole namespace.
 */
export function matchLabelsOf(scope: IConstruct, field: string, target: WorkloadTarget, policyNamespace: string): Record<string, string> {
  if (isLabels(target) && !isPlainRecord(target)) {
    throw new MeshConfigError(scope, field, `must be a MeshService or a map of pod labels, not ${describeGiven(target)}`,
      'pass the MeshService itself, or its pods\' labels, e.g. { app: "web" }');
  }
  if (!isLabels(target)) checkSameApp(scope, field, target);
  if (!isLabels(target) && target.namespace !== policyNamespace) {
    throw new MeshConfigError(scope, field,
      `MeshService ${target.node.path} is in namespace ${target.namespace}, `
        + `but the policy is in ${policyNamespace}, where its selector matches nothing`,
      'create the policy in the service\'s chart (or set its namespace to the service\'s)');
  }
  const labels = isLabels(target) ? target : { ...target.selectorLabels };
  if (Object.keys(labels).length === 0) {
    throw new MeshConfigError(scope, field, 'an empty selector selects every workload in the namespace',
      'omit the selector for a namespace-wide policy, or name the workload\'s labels');
  }
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string') {
      throw new MeshConfigError(scope, `${field}.${key}`, `a label value must be a string, not ${describeGiven(value)}`,
        `write it as a string, e.g. { ${key}: "${String(value)}" }`);
    }
    if (!LABEL_KEY.test(key) && !key.includes('*')) {
      throw new MeshConfigError(scope, `${field}.${key}`, `"${key}" is not a valid label key`,
        'use a key such as app or app.kubernetes.io/name');
    }
    if (key.includes('*') || value.includes('*')) {
      throw new MeshConfigError(scope, `${field}.${key}`, 'selector labels cannot contain wildcards', 'use exact label keys and values');
    }
    checkLabelValue(scope, `${field}.${key}`, value);
  }
  return labels;
}

/** The Service ports of a target that has them (a MeshService), so a policy knows the protocols it sees. */
export function servicePortsOf(target: WorkloadTarget | undefined): readonly ResolvedServicePort[] | undefined {
  return serviceOf(target)?.ports;
}

/** The target as a service with ports (a MeshService), or undefined for pod labels and workloads without a Service. */
function serviceOf(target: WorkloadTarget | undefined): IRoutableService | undefined {
  return target && !isLabels(target) && Array.isArray((target as Partial<IRoutableService>).ports) ? target as IRoutableService : undefined;
}

/**
 * The port a policy of a selected workload must name for `port`: Istio's sidecars and ztunnel
 * match a policy's ports (PeerAuthentication's portLevelMtls, an AuthorizationPolicy's
 * `to.operation.ports`) against the pod's port, not the Service's. For a MeshService target a
 * Service port becomes the container port behind it (a number that is both a Service port and
 * another port's container port is taken as the Service port); any other number is a port of the
 * pod the Service does not forward (a metrics port, say) and stays as it is, as it does for pod labels.
 */
export function workloadPortOf(target: WorkloadTarget | undefined, port: number): number {
  return serviceOf(target)?.ports.find(p => p.port === port)?.targetPort ?? port;
}

function isLabels(target: WorkloadTarget): target is Record<string, string> {
  return !Construct.isConstruct(target);
}
