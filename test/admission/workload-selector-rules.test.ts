import { FailingCase, deployment, expectAccepted, expectProblemAt, podWith } from './documents';

type Json = Record<string, unknown>;

const LABELS = 'spec.template.metadata.labels';

/** A workload of `kind` (apps/v1 unless told) whose selector is `selector` and whose pod template has `labels`. */
function workload(kind: string, selector: Json | undefined, labels: Record<string, string>, spec: Json = {}, apiVersion = 'apps/v1'): Json {
  return {
    apiVersion,
    kind,
    metadata: { name: 'api', namespace: 'shop' },
    spec: { ...selector === undefined ? {} : { selector }, template: { metadata: { labels }, spec: podWith({}) }, ...spec },
  };
}

/** A Job (its pods restart OnFailure) with the given selector and pod template labels. */
function job(selector: Json | undefined, labels: Record<string, string>, spec: Json = {}): Json {
  const doc = workload('Job', selector, labels, spec, 'batch/v1') as { spec: { template: { spec: Json } } };
  doc.spec.template.spec.restartPolicy = 'OnFailure';
  return doc;
}

/** A CronJob whose job template (pods labelled app: nightly) has the given extra fields. */
function cronJob(jobSpec: Json): Json {
  const template = { metadata: { labels: { app: 'nightly' } }, spec: podWith({}, { restartPolicy: 'OnFailure' }) };
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template, ...jobSpec } } } };
}

const failing: FailingCase[] = [
  { name: 'a Deployment whose template lacks a selected label', doc: workload('Deployment', { matchLabels: { app: 'api' } }, { app: 'web' }), path: LABELS, says: 'the pod template\'s labels do not match spec.selector, so the workload would never own the pods it creates', fix: 'give the pod template the selector\'s labels (app: "api")' },
  { name: 'a StatefulSet selecting a label the template does not carry', doc: workload('StatefulSet', { matchLabels: { app: 'db', tier: 'data' } }, { app: 'db' }), path: LABELS, says: 'do not match spec.selector', fix: 'app: "db", tier: "data"' },
  { name: 'a DaemonSet whose NotIn expression excludes its own pods', doc: workload('DaemonSet', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['agent'] }] }, { app: 'agent' }), path: LABELS, says: 'do not match spec.selector', fix: 'satisfy the selector\'s matchExpressions' },
  { name: 'an empty Deployment selector', doc: workload('Deployment', {}, { app: 'api' }), path: 'spec.selector', says: 'the selector is empty, which the API server refuses for a Deployment', fix: 'matchLabels' },
  { name: 'an unknown operator', doc: workload('ReplicaSet', { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['api'] }] }, { app: 'api' }), path: 'spec.selector.matchExpressions[0].operator', says: '"Equals" is not a selector operator', fix: 'In, NotIn, Exists or DoesNotExist' },
  { name: 'In without values', doc: workload('Deployment', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, { app: 'api' }), path: 'spec.selector.matchExpressions[0].values', says: 'the In operator needs at least one value', fix: 'list the label values' },
  { name: 'Exists with values', doc: workload('Deployment', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['api'] }] }, { app: 'api' }), path: 'spec.selector.matchExpressions[0].values', says: 'the Exists operator takes no values', fix: 'remove values' },
  { name: 'an expression key that is not a label key', doc: workload('Deployment', { matchExpressions: [{ key: 'my app', operator: 'Exists' }] }, { app: 'api' }), path: 'spec.selector.matchExpressions[0].key', says: '"my app" is not a label key', fix: '"app.kubernetes.io/name"' },
  { name: 'a Job with manualSelector and no selector', doc: job(undefined, { app: 'batch' }, { manualSelector: true }), path: 'spec.selector', says: 'manualSelector is true but the Job has no selector', fix: 'remove manualSelector' },
  { name: 'a Job with a selector of its own but no manualSelector', doc: job({ matchLabels: { app: 'batch' } }, { app: 'batch' }), path: 'spec.selector', says: 'the Job selects its pods by app without manualSelector: true', fix: 'remove the selector' },
  { name: 'a manual Job whose selector its template does not match', doc: job({ matchLabels: { app: 'batch' } }, { app: 'other' }, { manualSelector: true }), path: LABELS, says: 'do not match spec.selector, so the workload', fix: 'app: "batch"' },
  { name: 'a CronJob\'s job template with a selector', doc: cronJob({ selector: { matchLabels: { app: 'nightly' } } }), path: 'spec.jobTemplate.spec.selector', says: 'a CronJob\'s job template sets a selector', fix: 'remove the selector' },
  { name: 'a CronJob\'s job template with manualSelector', doc: cronJob({ manualSelector: true }), path: 'spec.jobTemplate.spec.manualSelector', says: 'sets manualSelector: true', fix: 'remove manualSelector' },
  { name: 'a ReplicationController whose selector map its template lacks', doc: workload('ReplicationController', { app: 'legacy' } as Json, { app: 'new' }, {}, 'v1'), path: LABELS, says: 'do not match spec.selector', fix: 'app: "legacy"' },
];

describe('workload selector rules (the API server\'s selector validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('selectors their templates match pass: labels, every operator, extra template labels', () => {
    expectAccepted(deployment(podWith({})));
    expectAccepted(workload('StatefulSet', {
      matchLabels: { app: 'db' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['data', 'cache'] }, { key: 'canary', operator: 'DoesNotExist' },
        { key: 'version', operator: 'Exists' }, { key: 'zone', operator: 'NotIn', values: ['eu'] }],
    }, { app: 'db', tier: 'data', version: 'v1', team: 'storage' }));
    expectAccepted(workload('ReplicationController', undefined, { app: 'legacy' }, {}, 'v1'));
  });

  test('a Job\'s generated selector and labels are the Job controller\'s own: without a selector, or selecting its controller-uid, it passes', () => {
    expectAccepted(job(undefined, { app: 'batch' }));
    expectAccepted(cronJob({}));
    expectAccepted(job({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'c0ffee' } }, { app: 'batch' }));
    expectAccepted(job({ matchLabels: { app: 'batch' } }, { app: 'batch' }, { manualSelector: true }));
  });
});
