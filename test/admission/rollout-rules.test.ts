import { FailingCase, deployment, expectAccepted, expectProblemAt, podWith } from './documents';

type Json = Record<string, unknown>;

/** A workload of `kind` with a valid selector and pod template (with `podSpec` fields) plus the given spec fields. */
function workload(kind: string, spec: Json, podSpec: Json = {}, apiVersion = 'apps/v1'): Json {
  return {
    apiVersion,
    kind,
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: podWith({}, podSpec) }, ...spec },
  };
}

/** A Job whose pod template has the given pod spec fields, plus the given Job spec fields. */
function job(podSpec: Json, spec: Json = {}): Json {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: { spec: podWith({}, podSpec) }, ...spec } };
}

/** A CronJob with `schedule` running a Job whose pods restart OnFailure. */
function cronJob(schedule: string, spec: Json = {}): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { schedule, jobTemplate: { spec: { template: { spec: podWith({}, { restartPolicy: 'OnFailure' }) } } }, ...spec },
  };
}

const failing: FailingCase[] = [
  { name: 'a Job without restartPolicy (its default, Always, is refused)', doc: job({}), path: 'spec.template.spec.restartPolicy', says: 'the restartPolicy is unset (so Always), and a Job\'s pods must be OnFailure or Never', fix: 'restartPolicy: OnFailure' },
  { name: 'a Job with restartPolicy Always', doc: job({ restartPolicy: 'Always' }), path: 'spec.template.spec.restartPolicy', says: '"Always", and a Job\'s pods', fix: 'OnFailure (or Never)' },
  { name: 'a CronJob\'s job template without restartPolicy', doc: { ...cronJob('0 3 * * *'), spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podWith({}) } } } } }, path: 'spec.jobTemplate.spec.template.spec.restartPolicy', says: 'unset (so Always)', fix: 'OnFailure' },
  { name: 'a Deployment whose pods never restart', doc: workload('Deployment', {}, { restartPolicy: 'Never' }), path: 'spec.template.spec.restartPolicy', says: 'the restartPolicy is "Never", and this workload\'s pods must always be restarted', fix: 'run the pods to completion as a Job' },
  { name: 'a StatefulSet restarting OnFailure', doc: workload('StatefulSet', { serviceName: 'api' }, { restartPolicy: 'OnFailure' }), path: 'spec.template.spec.restartPolicy', says: '"OnFailure"', fix: 'remove restartPolicy' },
  { name: 'rollingUpdate beside Recreate', doc: deployment(podWith({}), { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), path: 'spec.strategy.rollingUpdate', says: 'rollingUpdate is set beside type Recreate', fix: 'remove rollingUpdate' },
  { name: 'maxUnavailable and maxSurge both 0', doc: deployment(podWith({}), { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }), path: 'spec.strategy.rollingUpdate.maxUnavailable', says: 'maxUnavailable is 0 and so is maxSurge, so the rollout could never replace a pod', fix: 'maxSurge: 1' },
  { name: 'a DaemonSet\'s maxUnavailable 0 with maxSurge at its default, 0', doc: workload('DaemonSet', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } }), path: 'spec.updateStrategy.rollingUpdate.maxUnavailable', says: 'so is maxSurge (its default)', fix: 'above 0' },
  { name: 'a DaemonSet surging beside its default maxUnavailable (1)', doc: workload('DaemonSet', { updateStrategy: { rollingUpdate: { maxSurge: 1 } } }), path: 'spec.updateStrategy.rollingUpdate.maxSurge', says: 'maxSurge is above 0 and so is maxUnavailable (its default, 1), and a DaemonSet takes one of them', fix: 'maxUnavailable: 0' },
  { name: 'a DaemonSet\'s maxSurge above 100%', doc: workload('DaemonSet', { updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '150%' } } }), path: 'spec.updateStrategy.rollingUpdate.maxSurge', says: '150% is more than 100%', fix: 'at most 100%' },
  { name: 'a CronJob\'s Indexed job template without completions (not defaulted)', doc: { ...cronJob('@daily'), spec: { schedule: '@daily', jobTemplate: { spec: { completionMode: 'Indexed', template: { spec: podWith({}, { restartPolicy: 'Never' }) } } } } }, path: 'spec.jobTemplate.spec.completions', says: 'an Indexed Job needs completions', fix: 'set completions' },
  { name: 'maxUnavailable above 100%', doc: deployment(podWith({}), { strategy: { rollingUpdate: { maxUnavailable: '150%' } } }), path: 'spec.strategy.rollingUpdate.maxUnavailable', says: '150% is more than 100%', fix: 'at most 100%' },
  { name: 'maxSurge that is neither a number nor a percentage', doc: deployment(podWith({}), { strategy: { rollingUpdate: { maxSurge: 'one' } } }), path: 'spec.strategy.rollingUpdate.maxSurge', says: '"one" is neither a number nor a percentage', fix: '"25%"' },
  { name: 'minReadySeconds at the default progress deadline', doc: deployment(podWith({}), { minReadySeconds: 600 }), path: 'spec.minReadySeconds', says: 'progressDeadlineSeconds (600, the default) is not greater than minReadySeconds (600)', fix: 'above 600' },
  { name: 'a progress deadline below minReadySeconds', doc: deployment(podWith({}), { minReadySeconds: 30, progressDeadlineSeconds: 20 }), path: 'spec.progressDeadlineSeconds', says: 'progressDeadlineSeconds (20) is not greater than minReadySeconds (30)', fix: 'lower minReadySeconds' },
  { name: 'a negative revisionHistoryLimit', doc: deployment(podWith({}), { revisionHistoryLimit: -1 }), path: 'spec.revisionHistoryLimit', says: '-1 is below 0', fix: 'at least 0' },
  { name: 'rollingUpdate beside a StatefulSet\'s OnDelete', doc: workload('StatefulSet', { serviceName: 'api', updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }), path: 'spec.updateStrategy.rollingUpdate', says: 'beside type OnDelete', fix: 'type RollingUpdate' },
  { name: 'a negative partition', doc: workload('StatefulSet', { serviceName: 'api', updateStrategy: { rollingUpdate: { partition: -2 } } }), path: 'spec.updateStrategy.rollingUpdate.partition', says: '-2 is below 0', fix: 'at least 0' },
  { name: 'a negative backoffLimit', doc: job({ restartPolicy: 'Never' }, { backoffLimit: -1 }), path: 'spec.backoffLimit', says: '-1 is below 0', fix: 'at least 0' },
  { name: 'an Indexed Job without completions', doc: job({ restartPolicy: 'Never' }, { completionMode: 'Indexed', parallelism: 3 }), path: 'spec.completions', says: 'an Indexed Job needs completions', fix: 'set completions' },
  { name: 'an Indexed Job of 200,000 pods at once', doc: job({ restartPolicy: 'Never' }, { completionMode: 'Indexed', completions: 3, parallelism: 200000 }), path: 'spec.parallelism', says: 'an Indexed Job runs at most 100000 pods at once, not 200000', fix: '100000 or less' },
  { name: 'a six-field schedule (with seconds)', doc: cronJob('0 0 3 * * *'), path: 'spec.schedule', says: 'is not five cron fields (a seconds field is not supported)', fix: '"0 3 * * *"' },
  { name: 'a schedule of four fields', doc: cronJob('0 3 * *'), path: 'spec.schedule', says: '"0 3 * *" is not five cron fields', fix: 'minute hour day-of-month month day-of-week' },
  { name: 'an hour of 25', doc: cronJob('0 25 * * *'), path: 'spec.schedule', says: '"0 25 * * *" is not a valid schedule: Invalid value for hour: 25', fix: 'hour (0-23)' },
  { name: 'words for fields', doc: cronJob('a b c d e'), path: 'spec.schedule', says: '"a b c d e" is not a valid schedule', fix: 'minute (0-59)' },
  { name: 'a reversed range', doc: cronJob('5-1 * * * *'), path: 'spec.schedule', says: 'is not a valid schedule: From value is larger than to value', fix: 'minute (0-59)' },
  { name: 'an unknown time zone', doc: cronJob('@daily', { timeZone: 'Mars/Olympus' }), path: 'spec.timeZone', says: '"Mars/Olympus" is not a time zone of the IANA database', fix: '"Etc/UTC"' },
  { name: 'the time zone Local', doc: cronJob('@daily', { timeZone: 'Local' }), path: 'spec.timeZone', says: '"Local" is not a time zone', fix: 'not "Local"' },
  { name: 'a time zone in the schedule', doc: cronJob('CRON_TZ=Europe/Paris 0 3 * * *'), path: 'spec.schedule', says: 'sets its time zone with TZ=', fix: 'spec.timeZone' },
  { name: 'an unknown descriptor', doc: cronJob('@fortnightly'), path: 'spec.schedule', says: '"@fortnightly" is not a schedule descriptor', fix: '@weekly' },
  { name: 'a negative successfulJobsHistoryLimit', doc: cronJob('@daily', { successfulJobsHistoryLimit: -1 }), path: 'spec.successfulJobsHistoryLimit', says: '-1 is below 0', fix: 'at least 0' },
];

describe('rollout rules (the API server\'s workload validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid strategies, Jobs and schedules pass', () => {
    expectAccepted(deployment(podWith({}), { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, minReadySeconds: 10 }));
    expectAccepted(deployment(podWith({}), { strategy: { rollingUpdate: { maxUnavailable: 0 } } })); // maxSurge defaults to 25%
    expectAccepted(deployment(podWith({}), { strategy: { type: 'Recreate' }, minReadySeconds: 700, progressDeadlineSeconds: 900 }));
    expectAccepted(workload('DaemonSet', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } } }));
    expectAccepted(workload('DaemonSet', { updateStrategy: { type: 'OnDelete', rollingUpdate: { maxUnavailable: 0 } } })); // not read with OnDelete
    expectAccepted(job({ restartPolicy: 'Never' }, { completionMode: 'Indexed' })); // completions and parallelism default to 1
    expectAccepted(workload('StatefulSet', { serviceName: 'api', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    expectAccepted(job({ restartPolicy: 'Never' }, { completionMode: 'Indexed', completions: 5, parallelism: 2, backoffLimit: 0 }));
    expectAccepted(cronJob('0 3 * * *', { timeZone: 'Europe/Paris' }));
    for (const schedule of ['0 3 * * *', '*/15 9-17 * * MON-FRI', '@hourly', '@every 1h30m', '0 0 1 JAN,JUL ?']) expectAccepted(cronJob(schedule));
  });
});
