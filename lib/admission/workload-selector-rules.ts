import { AdmissionRule, Json, Report, childPath, entriesIn, listAt, objectAt, objectsIn } from './rule';
import { labelSelectorMatches, stringMap } from '../analysis/mesh-index';
import { isLabelKey } from '../core/labels';

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** The labels a Job's controller adds to its pod template and selector itself, unless `manualSelector` is set. */
const JOB_GENERATED_LABELS: ReadonlySet<string> = new Set(['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name']);

/**
 * What the API server refuses in a workload's `spec.selector`: an empty selector (apps/v1 kinds),
 * a `matchExpressions` entry with an unknown operator, a bad key or values that do not fit its
 * operator, and a selector the workload's own pod template does not match — the controller would
 * never see the pods it creates, so the API server refuses it ("`selector` does not match
 * template `labels`"). A Job's selector is checked only when given or `manualSelector` is set; a
 * ReplicationController's map only when given (it defaults to the template's labels).
 */
export const workloadSelectorRules: AdmissionRule = {
  kinds: ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job', 'batch/CronJob',
    '/ReplicationController'],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    switch (doc.kind) {
      case 'ReplicationController':
        checkControllerSelector(spec, report);
        return;
      case 'Job':
        checkJobSelector(spec, 'spec', report);
        return;
      case 'CronJob': {
        const jobSpec = objectAt(objectAt(spec.jobTemplate)?.spec);
        if (jobSpec !== undefined) checkJobSelector(jobSpec, 'spec.jobTemplate.spec', report);
        return;
      }
      default:
        checkAppsSelector(spec, String(doc.kind), report);
    }
  },
};

/** An apps/v1 workload: a selector with at least one term (the schema requires one), matching the pod template. */
function checkAppsSelector(spec: Json, kind: string, report: Report): void {
  const selector = objectAt(spec.selector);
  if (selector === undefined) return;
  if (entriesIn(selector.matchLabels).length === 0 && listAt(selector.matchExpressions).length === 0) {
    report('spec.selector', `the selector is empty, which the API server refuses for a ${kind}`,
      'select the pod template\'s labels, for example matchLabels: { app: "<the template\'s app label>" }');
    return;
  }
  checkMatch(selector, spec, 'spec', report);
}

/** A Job's (or a CronJob's job template's) selector, given or required by `manualSelector: true`. */
function checkJobSelector(spec: Json, path: string, report: Report): void {
  const manual = spec.manualSelector === true;
  const selector = objectAt(spec.selector);
  if (selector === undefined) {
    if (manual) {
      report(childPath(path, 'selector'), 'manualSelector is true but the Job has no selector',
        'add a selector matching the pod template\'s labels, or remove manualSelector to let the Job generate one');
    }
    return;
  }
  checkMatch(selector, spec, path, report, manual ? new Set() : JOB_GENERATED_LABELS);
}

/** A ReplicationController's selector map, when given, must be carried by its pod template. */
function checkControllerSelector(spec: Json, report: Report): void {
  const selector = stringMap(spec.selector);
  if (Object.keys(selector).length === 0) return;
  checkMatch({ matchLabels: selector }, spec, 'spec', report);
}

/**
 * Reports a malformed `matchExpressions` entry, else whether the pod template (`<path>.template`)
 * fails to match the selector; `exempt` labels are added by the controller to both.
 */
function checkMatch(selector: Json, spec: Json, path: string, report: Report, exempt: ReadonlySet<string> = new Set()): void {
  if (!expressionsValid(selector, childPath(path, 'selector'), report)) return;
  const template = objectAt(spec.template);
  if (template === undefined) return;
  const labels = stringMap(objectAt(template.metadata)?.labels);
  const own: Json = {
    matchLabels: Object.fromEntries(Object.entries(stringMap(selector.matchLabels)).filter(([key]) => !exempt.has(key))),
    matchExpressions: objectsIn(selector.matchExpressions, '').map(([e]) => e).filter(e => !exempt.has(String(e.key))),
  };
  if (labelSelectorMatches(own, labels)) return;
  const wanted = Object.entries(stringMap(own.matchLabels)).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  report(['template', 'metadata', 'labels'].reduce(childPath, path),
    `the pod template's labels do not match ${childPath(path, 'selector')}, so the ${path === 'spec' ? 'workload' : 'Job'} `
    + 'would never own the pods it creates and the API server refuses it',
    wanted.length > 0 ? `give the pod template the selector's labels (${wanted.join(', ')}), or select the labels it has`
      : 'give the pod template labels that satisfy the selector\'s matchExpressions, or change the selector');
}

/** Whether every `matchExpressions` entry has a label key, a known operator and values that fit it; reports those that do not. */
export function expressionsValid(selector: Json, path: string, report: Report): boolean {
  let valid = true;
  for (const [expression, at] of objectsIn(selector.matchExpressions, childPath(path, 'matchExpressions'))) {
    const { key, operator } = expression;
    const values = listAt(expression.values);
    if (typeof key === 'string' && !isLabelKey(key)) {
      report(childPath(at, 'key'), `${JSON.stringify(key)} is not a label key`,
        'use a label key such as "app" or "app.kubernetes.io/name"');
      valid = false;
    }
    if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
      report(childPath(at, 'operator'), `${JSON.stringify(operator)} is not a selector operator`, 'use In, NotIn, Exists or DoesNotExist');
      valid = false;
    } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      report(childPath(at, 'values'), `the ${operator} operator needs at least one value`, 'list the label values to match');
      valid = false;
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      report(childPath(at, 'values'), `the ${operator} operator takes no values`, 'remove values, or use In or NotIn');
      valid = false;
    }
  }
  return valid;
}
