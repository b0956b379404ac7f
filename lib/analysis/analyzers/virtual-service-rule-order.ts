import type { VirtualServiceSpecHttpMatch } from '../../../imports/networking.istio.io';
import { Analyzer, Report } from '../analyzer';
import { list } from '../mesh-index';
import { UnreachableBecause, msg } from '../message-constructors';
import { VirtualServiceResource } from './routes';

/** A match of an HTTP, TCP or TLS rule, as plain data. */
type Match = object;

/** A rule of any section: its name (HTTP only) and matches. */
interface Rule {
  readonly name?: string;
  readonly match?: readonly Match[];
}

/** Canonical JSON of a match without its name (keys sorted), so equal matches compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k, v]) => v !== undefined && k !== 'name')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How istioctl names a rule or match in its messages: `"name"` when it has one, else `#index`. */
function label(item: object, i: number): string {
  const name: unknown = (item as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? JSON.stringify(name) : `#${i}`;
}

/** A string match as istioctl compares it: `exact:<v>` or `prefix:<v>` ('' for other kinds). */
function exactOrPrefix(m: { readonly exact?: string; readonly prefix?: string } | undefined): string {
  if (m?.exact) return `exact:${m.exact}`;
  return m?.prefix ? `prefix:${m.prefix}` : '';
}

/** An HTTP match on a URI prefix, reduced to what decides whether an earlier one covers it. */
interface PrefixMatch {
  readonly field: string;
  readonly rule: string;
  readonly match: string;
  readonly prefix: string;
  readonly port?: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly queryParams: ReadonlyMap<string, string>;
  readonly withoutHeaders: ReadonlyMap<string, string>;
}

function prefixMatch(field: string, rule: string, match: string, m: VirtualServiceSpecHttpMatch): PrefixMatch | undefined {
  const prefix = m.uri?.prefix;
  if (!prefix) return undefined;
  const conditions = (map: Readonly<Record<string, { exact?: string; prefix?: string }>> | undefined) =>
    new Map(Object.entries(map ?? {}).map(([k, v]) => [k, exactOrPrefix(v)]));
  return {
    field,
    rule,
    match,
    prefix,
    port: m.port,
    method: exactOrPrefix(m.method) || 'exact:GET', // no method: istioctl takes GET
    authority: exactOrPrefix(m.authority),
    headers: conditions(m.headers),
    queryParams: conditions(m.queryParams),
    withoutHeaders: conditions(m.withoutHeaders),
  };
}

/** Whether `a`'s value covers `b`'s as istioctl decides it: equal, or `a`'s starting with `b`'s. */
const covers = (a: string, b: string) => a === b || a.startsWith(b);

function conditionsCover(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && covers(v, b.get(k)!));
}

/**
 * Whether the earlier prefix match `a` takes every request of the later `b`: `b`'s prefix starts
 * with `a`'s, on the same port, with covering method, authority, headers, query parameters and
 * withoutHeaders (istioctl's rule, which reads only those conditions).
 */
function coveredBy(a: PrefixMatch, b: PrefixMatch): boolean {
  return b.prefix.startsWith(a.prefix) && a.port === b.port && covers(a.method, b.method) && covers(a.authority, b.authority)
    && conditionsCover(a.headers, b.headers) && conditionsCover(a.queryParams, b.queryParams)
    && conditionsCover(a.withoutHeaders, b.withoutHeaders);
}

/** Checks the rules of one section; returns the HTTP prefix matches met along the way (none for TCP and TLS). */
function checkRules(vs: VirtualServiceResource, section: 'http' | 'tcp' | 'tls', report: Report): PrefixMatch[] {
  const rules = list<Rule>(vs.spec[section]);
  const seen = new Map<string, number>();
  const prefixes: PrefixMatch[] = [];
  let catchAll: number | undefined;
  const unreachable = (i: number, because: UnreachableBecause) =>
    report(vs, msg.virtualServiceUnreachableRule(label(rules[i], i), because), `spec.${section}[${i}]`);
  rules.forEach((rule, i) => {
    if (!rule || typeof rule !== 'object') return;
    const matches = list(rule.match);
    if (matches.length === 0) {
      if (catchAll !== undefined) unreachable(i, 'only the last rule can have no matches');
      catchAll = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((match, j) => {
      if (catchAll !== undefined) {
        unreachable(i, 'route without matches defined before');
        return;
      }
      const key = canonical(match);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        duplicates++;
        report(vs, msg.virtualServiceIneffectiveMatch(label(rule, i), label(match, j), label(rules[earlier], earlier)),
          `spec.${section}[${i}].match[${j}]`);
        return;
      }
      seen.set(key, i);
      const prefix = section === 'http'
        ? prefixMatch(`spec.http[${i}].match[${j}]`, label(rule, i), label(match, j), match as VirtualServiceSpecHttpMatch)
        : undefined;
      if (prefix) prefixes.push(prefix);
    });
    if (duplicates === matches.length) unreachable(i, 'all matches used by prior rules');
  });
  return prefixes;
}

/**
 * IST0130: a rule can never apply — a rule without matches before it, or every one of its matches
 * repeating an earlier rule's; IST0131: a match repeats an earlier rule's, or an earlier URI prefix
 * match takes all its requests (`prefix: /api/v1/product` before `prefix: /api/v1/products` with
 * the same other conditions, in the same rule or an earlier one). As istioctl's validation: rules
 * and matches are named by their `name` when they have one, else `#<index>`.
 */
export const virtualServiceRuleOrder: Analyzer = {
  name: 'virtual-service-rule-order',
  codes: ['IST0130', 'IST0131'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      const prefixes = checkRules(vs, 'http', report);
      checkRules(vs, 'tcp', report);
      checkRules(vs, 'tls', report);
      prefixes.forEach((a, i) => {
        for (const b of prefixes.slice(i + 1)) {
          if (b.prefix === a.prefix || !coveredBy(a, b)) continue;
          const earlier = `${a.match} of prefix ${a.prefix} on ${a.rule}`;
          report(vs, msg.virtualServiceIneffectiveMatch(b.rule, `${b.match} of prefix ${b.prefix}`, earlier), b.field);
        }
      });
    }
  },
};
