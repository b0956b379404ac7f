import * as fs from 'fs';
import { RouteSimulator } from './simulate';
import { Simulation, SimulationRequest } from './types';
import { UnreadableInputError, checkNesting, fsCall } from '../analysis/read-manifests';
import { parseIstioDuration } from '../core/go-duration';
import { qualifyHost } from '../core/hosts';
import { jsYaml } from '../core/js-yaml-lazy';

/**
 * Route test cases in the format of getyourguide/istio-config-validator: a document with
 * `testCases`, each with a `description`, a `request` (lists of `authority`, `method` and `uri`,
 * and `headers` sent with every one; every combination is one request), what the matched rule
 * should have (`route`, `redirect`, `rewrite`, `fault`, `headers`, `delegate`, as Istio writes
 * them) and `wantMatch` (whether the rule should have them, or should not). Field names match
 * case-insensitively, as that tool's JSON decoding does.
 */
/**
 * The most requests one test case may make (authorities × methods × uris): a few lists of a few
 * hundred entries would otherwise make millions of requests and gigabytes of memory.
 */
export const MAX_REQUESTS_PER_CASE = 10_000;

/**
 * The most requests the test cases of one run may make together (100,000, a few seconds of
 * simulation): hundreds of cases reusing large YAML anchors would otherwise make millions.
 */
export const MAX_REQUESTS_PER_RUN = 100_000;

/** How many more requests the cases being read may make (shared by the files of one run). */
export interface RequestBudget {
  /** The requests still allowed; reading a case takes its requests off, and below zero is an input error. */
  left: number;
}

/** One case of a route test file (`cdk8s-istio test --cases`): the requests to simulate and what the matched rule should have. */
export interface RouteTestCase {
  /** The file the case was read from. */
  readonly file: string;
  /** What the case is about. */
  readonly description: string;
  /** The requests, every combination of the lists (at most {@link MAX_REQUESTS_PER_CASE}). */
  readonly requests: readonly SimulationRequest[];
  /** What the matched rule should have (or, with `wantMatch: false`, should not have), by field. */
  readonly expected: Readonly<Partial<Record<AssertedField, unknown>>>;
  /** Whether the rule should have what `expected` says (`true`) or not. */
  readonly wantMatch: boolean;
}

/** The fields of a matched rule a case can assert. */
export type AssertedField = 'route' | 'redirect' | 'rewrite' | 'fault' | 'headers' | 'delegate';

const ASSERTED: readonly AssertedField[] = ['route', 'redirect', 'rewrite', 'fault', 'headers', 'delegate'];

/** One request of a case, run. */
export interface RouteTestInput {
  /** The request. */
  readonly request: SimulationRequest;
  /** Whether the matched rule agreed with the case. */
  readonly passed: boolean;
  /** The rule that matched, `<namespace>/<name> http[<i>]` (the delegate's rule when delegated), or none. */
  readonly matched?: string;
  /** The fields that disagreed: what the rule has and what the case wants. */
  readonly failures: readonly RouteTestFailure[];
}

/** A field of the matched rule that disagreed with the case. */
export interface RouteTestFailure {
  /** The field. */
  readonly field: AssertedField;
  /** What the rule has (undefined when no rule matched or the rule has none). */
  readonly got: unknown;
  /** What the case says. */
  readonly want: unknown;
  /** Whether the case wanted them equal (`true`) or different. */
  readonly wantMatch: boolean;
}

/** One case, run. */
export interface RouteTestResult {
  /** The file. */
  readonly file: string;
  /** The description. */
  readonly description: string;
  /** Whether every request passed. */
  readonly passed: boolean;
  /** Each request. */
  readonly inputs: readonly RouteTestInput[];
}

/**
 * Reads the test cases of a YAML file (every document's `testCases`). Throws an
 * {@link UnreadableInputError} naming the file, and the case, for what cannot be read: bad YAML,
 * a case without a request or with an empty `authority`, `method` or `uri` list, and cases that
 * make more requests than `budget` has left (shared by the files of a run; at most
 * {@link MAX_REQUESTS_PER_RUN} by default).
 */
export function readRouteTestCases(file: string, budget: RequestBudget = { left: MAX_REQUESTS_PER_RUN }): RouteTestCase[] {
  if (!fsCall(file, () => fs.statSync(file)).isFile()) throw new UnreadableInputError(`${file}: not a regular file`);
  const text = fsCall(file, () => fs.readFileSync(file, 'utf8'));
  let documents: unknown[];
  try {
    documents = jsYaml().loadAll(text, undefined, { schema: jsYaml().CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    const at = mark ? `${file}:${mark.line + 1}:${mark.column + 1}` : file;
    throw new UnreadableInputError(`${at}: invalid YAML: ${(e as { reason?: string }).reason ?? (e as Error).message}`);
  }
  const cases: RouteTestCase[] = [];
  for (const document of documents) {
    checkNesting(file, text, document);
    const list = field(document, 'testCases');
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new UnreadableInputError(`${file}: testCases is not a list`);
    list.forEach((item, i) => {
      const testCase = parseCase(file, item, i);
      budget.left -= testCase.requests.length;
      if (budget.left < 0) {
        throw new UnreadableInputError(`${file}: with test case ${i + 1} ("${testCase.description}"), the cases make more than the `
          + `${MAX_REQUESTS_PER_RUN} requests one run may make. Fix: split the cases into several runs, `
          + 'or list fewer authorities and uris');
      }
      cases.push(testCase);
    });
  }
  return cases;
}

/** Runs test cases against a simulator: each request's matched rule compared with what the case says. */
export function runRouteTestCases(simulator: RouteSimulator, cases: readonly RouteTestCase[]): RouteTestResult[] {
  return cases.map(testCase => {
    const inputs = testCase.requests.map(request => runInput(simulator.simulate(request), request, testCase));
    return { file: testCase.file, description: testCase.description, passed: inputs.every(i => i.passed), inputs };
  });
}

function runInput(simulation: Simulation, request: SimulationRequest, testCase: RouteTestCase): RouteTestInput {
  const actual = actualFields(simulation);
  const namespace = (simulation.delegate ?? simulation.rule)?.virtualService.namespace ?? 'default';
  const failures = ASSERTED.filter(f => testCase.expected[f] !== undefined).flatMap(f => {
    const got = actual[f];
    const want = testCase.expected[f];
    const equal = same(canonical(f, got, namespace, simulation), canonical(f, want, namespace, simulation));
    return equal === testCase.wantMatch ? [] : [{ field: f, got, want, wantMatch: testCase.wantMatch }];
  });
  const decided = simulation.delegate ?? simulation.rule;
  return {
    request,
    passed: failures.length === 0,
    failures,
    ...(decided && { matched: `${decided.virtualService.namespace}/${decided.virtualService.name} http[${decided.ruleIndex}]` }),
  };
}

/** What the matched rule has, field by field, in the shape Istio writes it (none when nothing matched). */
function actualFields(s: Simulation): Partial<Record<AssertedField, unknown>> {
  const route = s.outcome === 'route' ? s.destinations.map(d => ({
    destination: {
      host: d.host, ...(d.subset !== undefined && { subset: d.subset }), ...(d.port !== undefined && { port: { number: d.port } }),
    },
    ...(d.weight !== undefined && { weight: d.weight }),
    ...(d.headers !== undefined && { headers: d.headers }),
  })) : undefined;
  return {
    route,
    redirect: s.redirect,
    rewrite: s.rewrite,
    fault: s.fault,
    headers: s.headers,
    delegate: s.delegatedTo,
  };
}

/**
 * A value in the form two equal rules share: proto3 defaults (0, false, '', null, empty objects
 * and lists) dropped, durations in milliseconds, route hosts fully qualified, a delegate's
 * namespace defaulted to the root's.
 */
function canonical(f: AssertedField, value: unknown, namespace: string, s: Simulation): unknown {
  if (value === undefined) return undefined;
  if (f === 'route' && Array.isArray(value)) {
    return value.map(r => {
      const d = isObject(r) && isObject(r.destination) ? r.destination : {};
      const host = typeof d.host === 'string' ? qualifyHost(d.host.toLowerCase(), namespace) : d.host;
      return stripDefaults({ ...r, destination: { ...d, host } });
    });
  }
  if (f === 'delegate' && isObject(value)) {
    return stripDefaults({ name: value.name, namespace: value.namespace ?? s.rule?.virtualService.namespace ?? namespace });
  }
  return stripDefaults(value) ?? {};
}

function stripDefaults(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map(v => stripDefaults(v) ?? {});
    return items.length === 0 ? undefined : items;
  }
  if (isObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, stripDefaults(v, k)] as const).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  }
  if (value === null || value === 0 || value === false || value === '') return undefined;
  if (typeof value === 'string' && /delay|timeout|interval|maxage/i.test(key)) return parseIstioDuration(value) ?? value;
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parseCase(file: string, item: unknown, i: number): RouteTestCase {
  const named = field(item, 'description');
  const description = named === undefined || named === null ? `testCases[${i}]` : scalarText(named, `${file}: testCases[${i}].description`);
  const where = `${file}: test case "${description}"`;
  if (!isObject(item)) throw new UnreadableInputError(`${file}: testCases[${i}] is not a mapping`);
  const request = field(item, 'request');
  if (!isObject(request)) {
    throw new UnreadableInputError(`${where} has no request. Fix: add request.authority, request.method and request.uri`);
  }
  checkFieldNames(item, CASE_FIELDS, where, 'a test case');
  checkFieldNames(request, REQUEST_FIELDS, `${where}: request`, 'a request');
  const values = (name: string) => {
    const value = field(request, name);
    const items = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value])
      .map(v => scalarText(v, `${where}: request.${name}`));
    if (items.length === 0) throw new UnreadableInputError(`${where}: request.${name} is empty. Fix: list at least one ${name}`);
    return items;
  };
  const headers = stringRecord(field(request, 'headers'), `${where}: request.headers`);
  const query = stringRecord(field(request, 'queryParams'), `${where}: request.queryParams`);
  const requests: SimulationRequest[] = [];
  const [authorities, methods, uris] = [values('authority'), values('method'), values('uri')];
  const combinations = authorities.length * methods.length * uris.length;
  if (combinations > MAX_REQUESTS_PER_CASE) {
    throw new UnreadableInputError(`${where}: its ${authorities.length} authorities × ${methods.length} methods × ${uris.length} uris make `
      + `${combinations} requests, more than the ${MAX_REQUESTS_PER_CASE} a test case may hold. Fix: split the case into several`);
  }
  for (const uri of uris) {
    const { path, scheme } = splitUri(uri);
    for (const host of authorities) {
      for (const method of methods) {
        requests.push({
          host,
          method,
          path,
          ...(scheme && { scheme }),
          ...(Object.keys(headers).length > 0 && { headers }),
          ...(Object.keys(query).length > 0 && { query }),
        });
      }
    }
  }
  const expected: Partial<Record<AssertedField, unknown>> = {};
  for (const f of ASSERTED) {
    const value = field(item, f);
    if (value !== undefined && value !== null) expected[f] = value;
  }
  const wantMatch = field(item, 'wantMatch');
  if (wantMatch !== undefined && wantMatch !== null && typeof wantMatch !== 'boolean') {
    throw new UnreadableInputError(`${where}: wantMatch is ${JSON.stringify(wantMatch)}, not true or false. `
      + 'Fix: write wantMatch: true (unquoted)');
  }
  return { file, description, requests, expected, wantMatch: wantMatch === true };
}

/** A URI's path with its query (an absolute URI's scheme apart, its authority dropped). */
function splitUri(uri: string): { path: string; scheme?: string } {
  const absolute = /^([a-z][a-z0-9+.-]*):\/\/[^/?#]*(.*)$/i.exec(uri);
  if (!absolute) return { path: uri };
  return { path: absolute[2] || '/', scheme: absolute[1].toLowerCase() };
}

/** A mapping's values as strings (a null value, `version:` in YAML, is an empty string: present). */
function stringRecord(value: unknown, where: string): Record<string, string> {
  if (!isObject(value)) return {};
  const text = (k: string, v: unknown) => (v === null || v === undefined ? '' : scalarText(v, `${where}.${k}`));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(k, v)]));
}

/** A scalar of a cases file as text; a mapping or a list where text belongs is an input error at `where`. */
function scalarText(value: unknown, where: string): string {
  if (['string', 'number', 'boolean', 'bigint'].includes(typeof value)) return String(value);
  const what = Array.isArray(value) ? 'a list' : value === null ? 'null' : 'a mapping';
  throw new UnreadableInputError(`${where} is ${what}, not text. Fix: write it as a string`);
}

/** A field of a mapping, its name matched case-insensitively (exactly first). */
/** The fields of a test case and of its request (matched case-insensitively, as the tool's JSON decoding does). */
const CASE_FIELDS: readonly string[] = ['description', 'request', 'wantMatch', ...ASSERTED];
const REQUEST_FIELDS: readonly string[] = ['authority', 'method', 'uri', 'headers', 'queryParams'];

/**
 * Refuses a field the format does not have: a misspelt assertion (`rout:`) would check nothing, and
 * a misspelt request field (`header:`) would send another request, so the case would pass unseen.
 */
function checkFieldNames(value: Record<string, unknown>, known: readonly string[], where: string, what: string): void {
  for (const key of Object.keys(value)) {
    if (known.some(k => k.toLowerCase() === key.toLowerCase())) continue;
    throw new UnreadableInputError(`${where}: "${key}" is not a field of ${what}. Fix: use ${known.join(', ')}`);
  }
}

function field(value: unknown, name: string): unknown {
  if (!isObject(value)) return undefined;
  if (name in value) return value[name];
  const key = Object.keys(value).find(k => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : value[key];
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
