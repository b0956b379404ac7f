import { checkAtLeast, checkIntOrPercent, isZero } from './int-or-percent';
import { AdmissionRule, CONTROLLER_KINDS, Json, Report, childPath, objectAt } from './rule';

/** What Kubernetes defaults a Deployment's progressDeadlineSeconds to. */
const DEFAULT_PROGRESS_DEADLINE = 600;

/** The most pods an Indexed Job may run in parallel (the API server's limit). */
const MAX_INDEXED_PARALLELISM = 100_000;

/** The descriptors a CronJob schedule may be instead of five fields (the cron library Kubernetes uses). */
const SCHEDULE_DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/**
 * What the API server refuses in how a workload rolls out and runs, beyond the schemas: the pod
 * template's restartPolicy for the kind (Always for long-running workloads; OnFailure or Never for
 * Jobs, whose default Always is refused), update strategies (`rollingUpdate` beside `Recreate` or
 * `OnDelete`, `maxUnavailable` and `maxSurge` both 0, more than 100%), negative counts and
 * durations, a progress deadline not above `minReadySeconds`, an Indexed Job without
 * `completions` or with a parallelism above 100,000, CronJob schedules that are not five cron
 * fields (with values in range: croner) or a descriptor, and CronJob time zones that are not IANA
 * names.
 */
export const rolloutRules: AdmissionRule = {
  kinds: CONTROLLER_KINDS,
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    const kind = String(doc.kind);
    if (kind === 'Job') return checkJob(spec, 'spec', report);
    if (kind === 'CronJob') return checkCronJob(spec, report);
    checkRestartPolicy(spec, 'spec', false, report);
    checkAtLeast(spec.minReadySeconds, 0, 'spec.minReadySeconds', report);
    // (a StatefulSet's revisionHistoryLimit is not checked by the API server before 1.33)
    if (kind === 'Deployment' || kind === 'DaemonSet') {
      checkAtLeast(spec.revisionHistoryLimit, 0, 'spec.revisionHistoryLimit', report);
    }
    if (kind === 'Deployment') checkDeploymentStrategy(spec, report);
    if (kind === 'StatefulSet') checkStatefulSetStrategy(spec, report);
    if (kind === 'DaemonSet') checkDaemonSetStrategy(spec, report);
  },
};

/**
 * The pod template's restartPolicy (`<path>.template.spec.restartPolicy`, Always when unset): a
 * Job's pods run to completion (OnFailure or Never); every other workload's restart (Always).
 */
function checkRestartPolicy(spec: Json, path: string, job: boolean, report: Report): void {
  const podSpec = objectAt(objectAt(spec.template)?.spec);
  if (podSpec === undefined) return;
  const policy = podSpec.restartPolicy ?? 'Always';
  if (typeof policy !== 'string' || (job ? policy !== 'Always' : policy === 'Always')) return;
  const given = podSpec.restartPolicy === undefined ? 'unset (so Always)' : `"${policy}"`;
  report(['template', 'spec', 'restartPolicy'].reduce(childPath, path),
    job ? `the restartPolicy is ${given}, and a Job's pods must be OnFailure or Never`
      : `the restartPolicy is ${given}, and this workload's pods must always be restarted (Always)`,
    job ? 'set restartPolicy: OnFailure (or Never)'
      : 'remove restartPolicy (Always is its default), or run the pods to completion as a Job');
}

function checkDeploymentStrategy(spec: Json, report: Report): void {
  const strategy = objectAt(spec.strategy);
  const rolling = objectAt(strategy?.rollingUpdate);
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    report('spec.strategy.rollingUpdate', 'rollingUpdate is set beside type Recreate, which the API server refuses',
      'remove rollingUpdate, or use type RollingUpdate');
  } else if (rolling !== undefined) {
    checkRollingUpdate(rolling, 'spec.strategy.rollingUpdate', report, '25%');
  }
  const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE;
  checkAtLeast(spec.progressDeadlineSeconds, 0, 'spec.progressDeadlineSeconds', report);
  if (typeof deadline === 'number' && deadline >= 0 && deadline <= minReady) {
    const unset = spec.progressDeadlineSeconds === undefined;
    report(unset ? 'spec.minReadySeconds' : 'spec.progressDeadlineSeconds',
      `progressDeadlineSeconds (${deadline}${unset ? ', the default' : ''}) is not greater than minReadySeconds (${minReady})`,
      `set progressDeadlineSeconds above ${minReady}, or lower minReadySeconds`);
  }
}

/**
 * `maxUnavailable` and `maxSurge`: numbers or percentages, `maxUnavailable` at most 100% (and
 * `maxSurge` too when `surgeUpTo100`, a DaemonSet's), and not both 0 (unset ones take their
 * defaults) — the rollout could then never replace a pod.
 */
function checkRollingUpdate(rolling: Json, path: string, report: Report, defaultSurge: number | string, surgeUpTo100 = false): void {
  checkIntOrPercent(rolling.maxUnavailable, childPath(path, 'maxUnavailable'), report, true);
  checkIntOrPercent(rolling.maxSurge, childPath(path, 'maxSurge'), report, surgeUpTo100);
  const surgeZero = isZero(rolling.maxSurge ?? defaultSurge);
  if (isZero(rolling.maxUnavailable) === true && surgeZero === true) {
    report(childPath(path, 'maxUnavailable'),
      `maxUnavailable is 0 and so is maxSurge${rolling.maxSurge === undefined ? ' (its default)' : ''}, `
      + 'so the rollout could never replace a pod',
      'allow one of them to be above 0 (maxSurge: 1 keeps every old pod until its replacement is ready)');
  }
}

function checkStatefulSetStrategy(spec: Json, report: Report): void {
  const strategy = objectAt(spec.updateStrategy);
  if (strategy?.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
    report('spec.updateStrategy.rollingUpdate', 'rollingUpdate is set beside type OnDelete, which the API server refuses',
      'remove rollingUpdate, or use type RollingUpdate');
  }
  checkAtLeast(objectAt(strategy?.rollingUpdate)?.partition, 0, 'spec.updateStrategy.rollingUpdate.partition', report);
}

/**
 * A DaemonSet's rolling update (not checked with type OnDelete): as a Deployment's, with maxSurge at
 * most 100% too, and at most one of the two above 0 (maxUnavailable defaults to 1, maxSurge to 0).
 */
function checkDaemonSetStrategy(spec: Json, report: Report): void {
  const strategy = objectAt(spec.updateStrategy);
  const rolling = objectAt(strategy?.rollingUpdate);
  if (rolling === undefined || strategy?.type === 'OnDelete') return;
  const path = 'spec.updateStrategy.rollingUpdate';
  checkRollingUpdate(rolling, path, report, 0, true);
  if (isZero(rolling.maxSurge) === false && isZero(rolling.maxUnavailable ?? 1) === false) {
    const unavailable = rolling.maxUnavailable === undefined ? ' (its default, 1)' : '';
    report(childPath(path, 'maxSurge'), `maxSurge is above 0 and so is maxUnavailable${unavailable}, and a DaemonSet takes one of them`,
      'set maxUnavailable: 0 to surge, or remove maxSurge');
  }
}

/** A Job's spec (or a CronJob's job template's, at `path`). */
function checkJob(spec: Json, path: string, report: Report): void {
  checkRestartPolicy(spec, path, true, report);
  for (const field of ['parallelism', 'completions', 'backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) {
    checkAtLeast(spec[field], 0, childPath(path, field), report);
  }
  // a Job setting neither gets completions and parallelism 1; a CronJob's job template is not defaulted
  const defaulted = path === 'spec' && spec.parallelism === undefined;
  if (spec.completionMode === 'Indexed' && spec.completions === undefined && !defaulted) {
    report(childPath(path, 'completions'), 'an Indexed Job needs completions (the number of indexes)', 'set completions');
  }
  if (spec.completionMode === 'Indexed' && typeof spec.parallelism === 'number' && spec.parallelism > MAX_INDEXED_PARALLELISM) {
    report(childPath(path, 'parallelism'), `an Indexed Job runs at most ${MAX_INDEXED_PARALLELISM} pods at once, not ${spec.parallelism}`,
      `lower parallelism to ${MAX_INDEXED_PARALLELISM} or less`);
  }
}

function checkCronJob(spec: Json, report: Report): void {
  for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    checkAtLeast(spec[field], 0, `spec.${field}`, report);
  }
  if (typeof spec.schedule === 'string') checkSchedule(spec.schedule, report);
  if (typeof spec.timeZone === 'string' && !isTimeZone(spec.timeZone)) {
    report('spec.timeZone', `"${spec.timeZone}" is not a time zone of the IANA database`,
      'name one such as "Etc/UTC" or "Europe/Paris" (not "Local", nor an empty string)');
  }
  const jobSpec = objectAt(objectAt(spec.jobTemplate)?.spec);
  if (jobSpec !== undefined) checkJob(jobSpec, 'spec.jobTemplate.spec', report);
}

/**
 * What is wrong with the values of five cron fields (out of range, a reversed range, a zero step), as
 * croner parses them, or undefined. croner also takes a few extensions (`L`, `#`, 7 for Sunday)
 * Kubernetes's parser does not: those pass.
 */
function scheduleValueProblem(fields: string): string | undefined {
  const { Cron } = require('croner') as typeof import('croner');
  try {
    new Cron(fields, { paused: true }).stop();
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern: /, '');
  }
}

/** Whether a name is an IANA time zone, as Node's ICU knows them (it also takes a name in another case, which Kubernetes would not). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A CronJob schedule: five cron fields (minute hour day-of-month month day-of-week) or a descriptor, without a time zone in it. */
function checkSchedule(schedule: string, report: Report): void {
  const trimmed = schedule.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) {
    report('spec.schedule', 'the schedule sets its time zone with TZ=, which the API server refuses',
      'set spec.timeZone instead (e.g. "Etc/UTC")');
    return;
  }
  if (trimmed.startsWith('@')) {
    if (!SCHEDULE_DESCRIPTORS.has(trimmed) && !/^@every \S+$/.test(trimmed)) {
      report('spec.schedule', `${JSON.stringify(schedule)} is not a schedule descriptor`,
        `use one of ${[...SCHEDULE_DESCRIPTORS].join(', ')}, or five cron fields`);
    }
    return;
  }
  const fields = trimmed.split(/\s+/);
  const shapeOk = fields.length === 5 && fields.every(f => /^[0-9A-Za-z*?,/-]+$/.test(f));
  const problem = shapeOk ? scheduleValueProblem(trimmed) : undefined;
  if (problem !== undefined) {
    report('spec.schedule', `${JSON.stringify(schedule)} is not a valid schedule: ${problem}`,
      'write minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-6 or SUN-SAT)');
  }
  if (!shapeOk) {
    report('spec.schedule',
      `${JSON.stringify(schedule)} is not five cron fields${fields.length === 6 ? ' (a seconds field is not supported)' : ''}`,
      'write minute hour day-of-month month day-of-week, such as "0 3 * * *" (03:00 every day)');
  }
}
