import { EXIT, Output, parseCommandArgs, readCommandInputs, usageError } from './command-input';
import { manifestFiles } from './manifest-files';
import { AnalysisInput } from '../analysis/mesh-index';
import { UnreadableInputError } from '../analysis/read-manifests';
import { RouteSimulator } from '../simulation/simulate';
import {
  MAX_REQUESTS_PER_RUN, RouteTestCase, RouteTestInput, RouteTestResult, readRouteTestCases, runRouteTestCases,
} from '../simulation/test-cases';
import { SimulationRequest } from '../simulation/types';

const USAGE = `Usage: cdk8s-istio test <file|dir|->... --cases <file|dir>... [--output text|json] [--recursive]

Runs route test cases written in getyourguide/istio-config-validator's format (testCases with
request authority/method/uri/headers, route, redirect, rewrite, fault, headers, delegate, wantMatch)
against the VirtualServices of the manifests, simulating Istio's routing. Every combination of a
case's authorities, methods and URIs is one request. --cases (or -t) takes the files or folders
that follow it, up to the next option; folders of cases are read with their subfolders, folders of
manifests like \`kubectl apply -f\` (subfolders with --recursive; - reads them from the standard
input). Exit code: 0 every case passed,
1 a case failed, 2 unreadable input or bad usage, 3 internal error.`;

/** Runs `test` with its arguments; returns the exit code. */
export function testCommand(args: readonly string[], io: Output): number {
  const parsed = parseCommandArgs(casesAsOptions(args), {
    cases: { type: 'string', short: 't', multiple: true, default: [] },
    output: { type: 'string', short: 'o', default: 'text' },
    recursive: { type: 'boolean', short: 'R', default: false },
  }, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const problem = positionals.length === 0 ? 'no manifest files or directories given'
    : values.cases!.length === 0 ? 'no test cases given (--cases <file|dir>...)'
      : !['text', 'json'].includes(values.output!) ? `unknown output "${values.output}" (use text or json)` : undefined;
  if (problem) return usageError(io, problem, USAGE);
  let inputs: AnalysisInput[];
  let cases: RouteTestCase[];
  let caseFiles: readonly string[];
  let manifests: readonly string[];
  try {
    ({ inputs, files: manifests } = readCommandInputs(positionals, { recursive: values.recursive!, io, schemaValid: true }));
    caseFiles = manifestFiles(values.cases!, true).files;
    const budget = { left: MAX_REQUESTS_PER_RUN };
    cases = caseFiles.flatMap(file => readRouteTestCases(file, budget));
    if (cases.length === 0) throw new UnreadableInputError(`no testCases in ${caseFiles.join(', ') || values.cases!.join(', ')}`);
  } catch (e) {
    if (!(e instanceof UnreadableInputError)) throw e;
    io.err(`Error: ${e.message}\n`);
    return EXIT.UNREADABLE;
  }
  const results = runRouteTestCases(new RouteSimulator(inputs), cases);
  const requests = results.reduce((n, r) => n + r.inputs.length, 0);
  const failedRequests = results.reduce((n, r) => n + r.inputs.filter(i => !i.passed).length, 0);
  const summary = {
    testFiles: new Set(cases.map(c => c.file)).size,
    manifestFiles: manifests.length,
    cases: results.length,
    failedCases: results.filter(r => !r.passed).length,
    requests,
    failedRequests,
  };
  if (values.output === 'json') io.out(`${JSON.stringify({ summary, cases: results }, null, 2)}\n`);
  else io.out(report(results, summary));
  return summary.failedCases > 0 ? EXIT.ERRORS : EXIT.CLEAN;
}

/** `--cases a b -o json` as `--cases a --cases b -o json`: the values that follow `--cases` (or `-t`), up to the next option. */
function casesAsOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  let inCases = false;
  let optionsEnded = false;
  for (const arg of args) {
    if (optionsEnded) {out.push(arg);} else if (arg === '--') {
      optionsEnded = true;
      inCases = false;
      out.push(arg);
    } else if (arg === '--cases' || arg === '-t') {
      inCases = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      inCases = false;
      out.push(arg);
    } else {
      out.push(...(inCases ? ['--cases', arg] : [arg]));
    }
  }
  return out;
}

interface Summary {
  readonly testFiles: number;
  readonly manifestFiles: number;
  readonly cases: number;
  readonly failedCases: number;
  readonly requests: number;
  readonly failedRequests: number;
}

/** The text report: one line per case, the failing requests under it with what differed, then the summary. */
function report(results: readonly RouteTestResult[], summary: Summary): string {
  const lines: string[] = [];
  for (const r of results) {
    const failed = r.inputs.filter(i => !i.passed);
    const count = `${r.inputs.length} request${r.inputs.length === 1 ? '' : 's'}`;
    lines.push(failed.length === 0
      ? `\u2714 ${r.description} (${count})`
      : `\u2718 ${r.description}: ${failed.length} of ${count} failed (${r.file})`);
    for (const input of failed) lines.push(...failure(input));
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push('', `Test summary: ${plural(summary.testFiles, 'test file')}, ${plural(summary.manifestFiles, 'manifest file')}; `
    + `${plural(summary.cases, 'test case')} with ${plural(summary.requests, 'request')}: `
    + `${summary.cases - summary.failedCases} passed, ${summary.failedCases} failed`);
  return `${lines.join('\n')}\n`;
}

function failure(input: RouteTestInput): string[] {
  const matched = input.matched ? `matched ${input.matched}` : 'no rule matched';
  return [
    `    ${describe(input.request)}: ${matched}`,
    ...input.failures.map(f => (f.wantMatch
      ? `      ${f.field}: got ${json(f.got)}, want ${json(f.want)}`
      : `      ${f.field}: got ${json(f.got)}, which the case says it must not be (wantMatch: false)`)),
  ];
}

function describe(request: SimulationRequest): string {
  const headers = Object.entries(request.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${request.method} ${request.scheme ? `${request.scheme}://` : ''}${request.host} ${request.path}${headers ? ` [${headers}]` : ''}`;
}

function json(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
