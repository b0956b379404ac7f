import { AdmissionRule, CONTROLLER_KINDS, Json, Report, childPath, entriesIn, listAt, objectAt, objectsIn } from './rule';
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
 * template `labels`"). A Job takes a selector only with `manualSelector: true` (it generates its
 * own otherwise), a CronJob's job template neither; a ReplicationController's map is checked only
 * when given (it defaults to the template's labels).
 */
export const workloadSelectorRules: AdmissionRule = {
  kinds: CONTROLLER_KINDS,
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    switch (doc.kind) {
      case 'ReplicationController':
        checkControllerSelector(spec, report);
        return;
      case 'Job':
        checkJobSelector(spec, report);
        return;
      case 'CronJob': {
        const jobSpec = objectAt(objectAt(spec.jobTemplate)?.spec);
        if (jobSpec !== undefined) checkJobTemplateSelector(jobSpec, report);
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
  checkMatch(selector, spec, report);
}

/**
 * A Job's selector: with `manualSelector: true` it must be given and match the pod template; without,
 * the Job generates its own, and a selector of any other label is refused ("`selector` not
 * auto-generated").
 */
function checkJobSelector(spec: Json, report: Report): void {
  const selector = objectAt(spec.selector);
  if (spec.manualSelector === true) {
    if (selector === undefined) {
      report('spec.selector', 'manualSelector is true but the Job has no selector',
        'add a selector matching the pod template\'s labels, or remove manualSelector to let the Job generate one');
    } else {
      checkMatch(selector, spec, report);
    }
    return;
  }
  const own = [...Object.keys(stringMap(selector?.matchLabels)), ...objectsIn(selector?.matchExpressions, '').map(([e]) => String(e.key))]
    .filter(key => !JOB_GENERATED_LABELS.has(key));
  if (own.length > 0) {
    report('spec.selector', `the Job selects its pods by ${own.join(', ')} without manualSelector: true, and the API server `
      + 'takes only the selector the Job generates', 'remove the selector (the Job selects its own pods), or set manualSelector: true');
  }
}

/** A CronJob's job template: its Jobs generate their selectors, so it may set neither a selector nor manualSelector. */
function checkJobTemplateSelector(jobSpec: Json, report: Report): void {
  if (jobSpec.selector !== undefined) {
    report('spec.jobTemplate.spec.selector', 'a CronJob\'s job template sets a selector, and each of its Jobs generates its own',
      'remove the selector');
  }
  if (jobSpec.manualSelector === true) {
    report('spec.jobTemplate.spec.manualSelector', 'a CronJob\'s job template sets manualSelector: true, which the API server refuses',
      'remove manualSelector');
  }
}

/** A ReplicationController's selector map, when given, must be carried by its pod template. */
function checkControllerSelector(spec: Json, report: Report): void {
  const selector = stringMap(spec.selector);
  if (Object.keys(selector).length === 0) return;
  checkMatch({ matchLabels: selector }, spec, report);
}

/** Reports a malformed `matchExpressions` entry of `spec.selector`, else whether `spec.template` fails to match it. */
function checkMatch(selector: Json, spec: Json, report: Report): void {
  if (!expressionsValid(selector, 'spec.selector', report)) return;
  const template = objectAt(spec.template);
  if (template === undefined) return;
  if (labelSelectorMatches(selector, stringMap(objectAt(template.metadata)?.labels))) return;
  const wanted = Object.entries(stringMap(selector.matchLabels)).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  report('spec.template.metadata.labels',
    'the pod template\'s labels do not match spec.selector, so the workload would never own the pods it creates and the API server '
    + 'refuses it',
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
