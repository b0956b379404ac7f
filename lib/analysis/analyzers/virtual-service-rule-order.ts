import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** A match of an HTTP, TCP or TLS rule, as plain data. */
type Match = object;

/** Canonical JSON of a match (keys sorted), so equal matches compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether a match matches every request (no conditions). */
function matchesAll(match: Match): boolean {
  return Object.keys(match).filter(k => k !== 'name').length === 0;
}

/**
 * IST0130: a rule can never apply (an earlier rule matches everything, or every one of its matches
 * repeats an earlier rule's); IST0131: one match of a rule repeats an earlier rule's match.
 */
export const virtualServiceRuleOrder: Analyzer = {
  name: 'virtual-service-rule-order',
  codes: ['IST0130', 'IST0131'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      for (const section of ['http', 'tcp', 'tls'] as const) {
        const rules = list<{ readonly match?: readonly Match[] }>(vs.spec[section]);
        const seen = new Map<string, number>();
        let catchAll: number | undefined;
        rules.forEach((rule, i) => {
          const field = `spec.${section}[${i}]`;
          if (catchAll !== undefined) {
            report(vs, msg.virtualServiceUnreachableRule(i, { catchAll }), field);
            return;
          }
          const matches = list(rule.match);
          if (matches.length === 0 || matches.some(matchesAll)) {
            if (i < rules.length - 1) catchAll = i;
            return;
          }
          const keys = matches.map(m => canonical({ ...m, name: undefined }));
          const duplicates = keys.map(k => seen.get(k));
          duplicates.forEach((d, j) => d !== undefined && report(vs, msg.virtualServiceIneffectiveMatch(i, j, d), `${field}.match[${j}]`));
          if (duplicates.every(d => d !== undefined)) {
            report(vs, msg.virtualServiceUnreachableRule(i, { priorRules: [...new Set(duplicates as number[])] }), field);
          }
          keys.forEach(k => !seen.has(k) && seen.set(k, i));
        });
      }
    }
  },
};
