import { checkIntOrPercent } from './int-or-percent';
import { AdmissionRule, Json, Report, childPath, objectAt, objectsIn } from './rule';
import { expressionsValid } from './workload-selector-rules';
import { quantityValue } from '../core/quantity';

/** The metric source each HorizontalPodAutoscaler metric `type` reads, by type. */
const METRIC_SOURCES: Readonly<Record<string, string>> = {
  Resource: 'resource', ContainerResource: 'containerResource', Pods: 'pods', Object: 'object', External: 'external',
};

/** The longest scaling policy period the API server takes (30 minutes) and stabilization window (an hour). */
const MAX_POLICY_PERIOD = 1800;
const MAX_STABILIZATION_WINDOW = 3600;

/**
 * What the API server refuses in how workloads scale and are disrupted, beyond the schemas:
 *
 * - HorizontalPodAutoscaler: minReplicas below 1, maxReplicas below 1 or below minReplicas; a
 *   metric whose `type` names a source it does not set (or that sets several), targets without
 *   the value their source needs (a Resource metric needs averageUtilization or averageValue, not
 *   both), values that are not positive; scaling policies with periods outside 1–1800 s or
 *   values below 1, stabilization windows outside 0–3600 s; v1's targetCPUUtilizationPercentage below 1;
 * - PodDisruptionBudget: both minAvailable and maxUnavailable, values that are neither a number
 *   of pods nor a percentage up to 100%, malformed selector expressions.
 */
export const scalingRules: AdmissionRule = {
  kinds: ['autoscaling/HorizontalPodAutoscaler', 'policy/PodDisruptionBudget'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    if (doc.kind === 'PodDisruptionBudget') return checkDisruptionBudget(spec, report);
    checkReplicaRange(spec, report);
    if (typeof spec.targetCPUUtilizationPercentage === 'number' && spec.targetCPUUtilizationPercentage < 1) {
      report('spec.targetCPUUtilizationPercentage', `${spec.targetCPUUtilizationPercentage} is not a CPU utilization target`,
        'use a percentage of at least 1, such as 80');
    }
    for (const [metric, path] of objectsIn(spec.metrics, 'spec.metrics')) checkMetric(metric, path, report);
    const behavior = objectAt(spec.behavior);
    for (const direction of ['scaleUp', 'scaleDown']) {
      const rules = objectAt(behavior?.[direction]);
      if (rules !== undefined) checkScalingRules(rules, `spec.behavior.${direction}`, report);
    }
  },
};

function checkReplicaRange(spec: Json, report: Report): void {
  const { minReplicas, maxReplicas } = spec;
  if (typeof minReplicas === 'number' && minReplicas < 1) {
    report('spec.minReplicas', `minReplicas is ${minReplicas}, and the autoscaler keeps at least 1 pod`,
      'use 1 or more (scaling to zero needs the HPAScaleToZero feature gate, off by default)');
  }
  if (typeof maxReplicas !== 'number') return;
  const min = typeof minReplicas === 'number' ? minReplicas : 1;
  if (maxReplicas < 1) {
    report('spec.maxReplicas', `maxReplicas is ${maxReplicas}`, 'use 1 or more');
  } else if (maxReplicas < min) {
    report('spec.maxReplicas',
      `maxReplicas (${maxReplicas}) is below minReplicas (${min}${minReplicas === undefined ? ', the default' : ''})`,
      `raise maxReplicas to ${min} or more, or lower minReplicas`);
  }
}

/** One entry of `spec.metrics`: the source its type names, set alone, with a target its source can use. */
function checkMetric(metric: Json, path: string, report: Report): void {
  const type = metric.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(METRIC_SOURCES, type)) {
    report(childPath(path, 'type'), `${JSON.stringify(type)} is not a metric type`, `use one of ${Object.keys(METRIC_SOURCES).join(', ')}`);
    return;
  }
  const field = METRIC_SOURCES[type];
  const others = Object.values(METRIC_SOURCES).filter(f => f !== field && metric[f] !== undefined);
  if (others.length > 0) {
    report(childPath(path, others[0]), `a ${type} metric sets ${others.join(' and ')} too`,
      `remove ${others.join(' and ')}, or make it a metric of its own`);
  }
  const source = objectAt(metric[field]);
  if (source === undefined) {
    report(childPath(path, field), `the ${type} metric does not set ${field}`, `describe the metric under ${field}`);
    return;
  }
  checkTarget(type, objectAt(source.target), childPath(childPath(path, field), 'target'), report);
}

/** A metric's target: positive values, and the ones its source needs. */
function checkTarget(type: string, target: Json | undefined, path: string, report: Report): void {
  if (target === undefined) return; // required by the schema
  for (const key of ['value', 'averageValue']) {
    const value = target[key];
    if (value === undefined) continue;
    const amount = typeof value === 'number' ? value : typeof value === 'string' ? quantityValue(value) : undefined;
    if (amount !== undefined && amount <= 0) {
      report(childPath(path, key), `${JSON.stringify(value)} is not a positive target`,
        'use a value above 0');
    }
  }
  if (typeof target.averageUtilization === 'number' && target.averageUtilization < 1) {
    report(childPath(path, 'averageUtilization'), `${target.averageUtilization}% is not a utilization target`,
      'use a percentage of at least 1, such as 80');
  }
  const has = (key: string) => target[key] !== undefined;
  if (type === 'Resource' || type === 'ContainerResource') {
    if (!has('averageUtilization') && !has('averageValue')) {
      report(childPath(path, 'averageUtilization'), `the ${type} target sets neither averageUtilization nor averageValue`,
        'set averageUtilization (a percentage of the pods\' requests, with type Utilization) or averageValue');
    } else if (has('averageUtilization') && has('averageValue')) {
      report(childPath(path, 'averageValue'), 'the target sets both averageUtilization and averageValue', 'keep one of them');
    }
  } else if (type === 'Pods') {
    if (!has('averageValue')) {
      report(childPath(path, 'averageValue'), 'a Pods target needs averageValue',
        'set averageValue (per pod) with type AverageValue');
    }
  } else if (!has('value') && !has('averageValue')) {
    report(childPath(path, 'averageValue'), `the ${type} target sets neither value nor averageValue`,
      'set value (the whole metric) or averageValue (per pod)');
  } else if (type === 'External' && has('value') && has('averageValue')) {
    report(childPath(path, 'averageValue'), 'the target sets both value and averageValue', 'keep one of them');
  }
}

/** `behavior.scaleUp` / `scaleDown`: stabilization window and policies within the API server's bounds. */
function checkScalingRules(rules: Json, path: string, report: Report): void {
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && (window < 0 || window > MAX_STABILIZATION_WINDOW)) {
    report(childPath(path, 'stabilizationWindowSeconds'), `${window} s is outside 0 to ${MAX_STABILIZATION_WINDOW} s`,
      `use 0 to ${MAX_STABILIZATION_WINDOW} seconds`);
  }
  for (const [policy, at] of objectsIn(rules.policies, childPath(path, 'policies'))) {
    if (typeof policy.value === 'number' && policy.value < 1) {
      report(childPath(at, 'value'), `${policy.value} is not an amount to scale by`, 'use 1 or more (pods, or percent)');
    }
    if (typeof policy.periodSeconds === 'number' && (policy.periodSeconds < 1 || policy.periodSeconds > MAX_POLICY_PERIOD)) {
      report(childPath(at, 'periodSeconds'), `${policy.periodSeconds} s is outside 1 to ${MAX_POLICY_PERIOD} s`,
        `use 1 to ${MAX_POLICY_PERIOD} seconds`);
    }
  }
}

function checkDisruptionBudget(spec: Json, report: Report): void {
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    report('spec.maxUnavailable', 'minAvailable and maxUnavailable are both set, and a PodDisruptionBudget takes one',
      'keep one of them (maxUnavailable: 1 lets drains proceed one pod at a time)');
  }
  checkIntOrPercent(spec.minAvailable, 'spec.minAvailable', report, true);
  checkIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', report, true);
  const selector = objectAt(spec.selector);
  if (selector !== undefined) expressionsValid(selector, 'spec.selector', report);
}
