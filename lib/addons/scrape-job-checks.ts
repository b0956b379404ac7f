import { IConstruct } from 'constructs';
import { checkAddonDuration } from './addon-settings';
import { RelabelRule, ScrapeJob } from './scrape-jobs';
import { checkBooleans, checkKnownKeys, checkList, checkWith } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { re2SyntaxProblem } from '../core/regex';
import { lastWordSaysSecret } from '../core/secret-env-name';

/** The intervals a job falls back to: Prometheus' global `scrape_interval` and `scrape_timeout`, in milliseconds. */
export interface GlobalScrapeTimes {
  /** The global scrape interval. */
  readonly interval: number;
  /** The global scrape timeout. */
  readonly timeout: number;
}

const RELABEL_ACTIONS = ['keep', 'drop', 'replace', 'labelmap'] as const;
const KUBERNETES_ROLES = ['endpoints', 'node', 'pod', 'service'] as const;
const SCHEMES = ['http', 'https'] as const;
const RULE_MEMBERS = {
  action: true, sourceLabels: true, regex: true, targetLabel: true, replacement: true,
} as const satisfies Record<keyof RelabelRule, true>;
const JOB_MEMBERS = {
  name: true,
  kubernetesRole: true,
  staticTargets: true,
  honorLabels: true,
  metricsPath: true,
  params: true,
  scheme: true,
  insecureSkipVerify: true,
  relabel: true,
  scrapeInterval: true,
  scrapeTimeout: true,
} as const satisfies Record<keyof ScrapeJob, true>;

/**
 * Checks scrape jobs for what Prometheus refuses when it loads its configuration (it would not
 * start, or would keep its old configuration): an empty or repeated job name, a scrape timeout
 * longer than the job's interval, a relabel regex that is not RE2, a `replace` step without a
 * target label, a static target with a scheme or a path; and a credential in a URL parameter,
 * which would be written into the configuration.
 */
export function checkScrapeJobs(scope: IConstruct, jobs: readonly ScrapeJob[], global: GlobalScrapeTimes): void {
  const names = new Set<string>();
  jobs.forEach((job, i) => {
    const at = `scrapeJobs[${i}]`;
    checkKnownKeys(scope, at, job, JOB_MEMBERS, 'a scrape job');
    checkBooleans(scope, at, job, ['honorLabels', 'insecureSkipVerify']);
    if (typeof job.name !== 'string' || job.name === '') {
      throw new MeshConfigError(scope, `${at}.name`, 'the job has no name',
        'name it, e.g. name: "my-app" (the job label of its series)');
    }
    if (names.has(job.name)) {
      throw new MeshConfigError(scope, `${at}.name`, `"${job.name}" is already a job name`, 'give every scrape job its own name');
    }
    names.add(job.name);
    oneOf(scope, `${at}.kubernetesRole`, job.kubernetesRole, KUBERNETES_ROLES);
    oneOf(scope, `${at}.scheme`, job.scheme, SCHEMES);
    if (job.metricsPath !== undefined && !job.metricsPath.startsWith('/')) {
      throw new MeshConfigError(scope, `${at}.metricsPath`, `"${job.metricsPath}" is not a URL path`, 'start it with "/", e.g. "/metrics"');
    }
    checkTimes(scope, at, job, global);
    const targets = checkList(scope, `${at}.staticTargets`, job.staticTargets) ?? [];
    targets.forEach((target, t) => checkTarget(scope, `${at}.staticTargets[${t}]`, target));
    for (const param of Object.keys(job.params ?? {})) {
      if (lastWordSaysSecret(param)) {
        throw new MeshConfigError(scope, `${at}.params.${param}`,
          `the URL parameter ${param} is a credential, which would be written into the Prometheus configuration`,
          'scrape the target with credentials Prometheus reads from a file (a mounted Secret), not a URL parameter');
      }
    }
    (checkList(scope, `${at}.relabel`, job.relabel) ?? []).forEach((rule, r) => checkRelabelRule(scope, `${at}.relabel[${r}]`, rule));
  });
}

/** The job's interval and timeout: durations, and the timeout no longer than the interval it runs at. */
function checkTimes(scope: IConstruct, at: string, job: ScrapeJob, global: GlobalScrapeTimes): void {
  const interval = job.scrapeInterval === undefined
    ? global.interval : checkAddonDuration(scope, `${at}.scrapeInterval`, job.scrapeInterval);
  if (job.scrapeTimeout === undefined) return; // Prometheus then takes the global timeout, or the interval where that is shorter
  const timeout = checkAddonDuration(scope, `${at}.scrapeTimeout`, job.scrapeTimeout);
  if (timeout > interval) {
    throw new MeshConfigError(scope, `${at}.scrapeTimeout`,
      `${job.scrapeTimeout} is longer than the job's scrape interval (${job.scrapeInterval ?? 'the global one'}), which Prometheus refuses`,
      'give a timeout no longer than the interval');
  }
}

/** A static target: `host:port` or `host`, without a scheme or a path (Prometheus refuses a `/`). */
const checkTarget = checkWith<string>(t => typeof t === 'string' && t !== '' && !t.includes('/') && !/\s/.test(t),
  t => `${JSON.stringify(t)} is not a target address`, 'write host:port, e.g. "pushgateway.monitoring:9091", without http:// or a path');

function checkRelabelRule(scope: IConstruct, at: string, rule: RelabelRule): void {
  checkKnownKeys(scope, at, rule, RULE_MEMBERS, 'a relabel rule');
  oneOf(scope, `${at}.action`, rule.action, RELABEL_ACTIONS);
  if (rule.regex !== undefined) {
    const problem = re2SyntaxProblem(rule.regex);
    if (problem !== undefined) {
      throw new MeshConfigError(scope, `${at}.regex`, problem, 'write an RE2 regex (Go\'s syntax: no lookaround or backreferences)');
    }
  }
  if ((rule.action ?? 'replace') === 'replace' && !rule.targetLabel) {
    throw new MeshConfigError(scope, `${at}.targetLabel`, 'a replace step has no target label, which Prometheus refuses',
      'name the label it writes, e.g. targetLabel: "namespace"');
  }
}

function oneOf(scope: IConstruct, field: string, value: string | undefined, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    const listed = allowed.join(', ');
    throw new MeshConfigError(scope, field, `${JSON.stringify(value)} is not one of ${listed}`, `use one of ${listed}`);
  }
}
