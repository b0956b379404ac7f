import { IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';
import { checkLabelValue } from '../core/names';
import type { MeshService } from '../workload/mesh-service';

/** The pods a policy applies to: a MeshService's workloads or explicit pod labels. */
export type WorkloadTarget = MeshService | Record<string, string>;

/**
 * The `selector.matchLabels` for a target: `{ app: <name> }` for a MeshService. Label values may
 * not contain wildcards (Istio rejects them), and an empty selector is refused because it silently
 * widens the policy to the whole namespace.
 */
export function matchLabelsOf(scope: IConstruct, field: string, target: WorkloadTarget): Record<string, string> {
  const labels = isLabels(target) ? target : { app: target.name };
  if (Object.keys(labels).length === 0) {
    throw new MeshConfigError(scope, field, 'an empty selector selects every workload in the namespace',
      'omit the selector for a namespace-wide policy, or name the workload\'s labels');
  }
  for (const [key, value] of Object.entries(labels)) {
    if (key.includes('*') || value.includes('*')) {
      throw new MeshConfigError(scope, `${field}.${key}`, 'selector labels cannot contain wildcards', 'use exact label keys and values');
    }
    checkLabelValue(scope, `${field}.${key}`, value);
  }
  return labels;
}

function isLabels(target: WorkloadTarget): target is Record<string, string> {
  return Object.values(target).every(v => typeof v === 'string') && !('serviceAccountName' in target);
}
