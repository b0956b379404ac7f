import { Analyzer } from '../analyzer';
import { Doc } from '../mesh-index';

/** Canonical JSON of a match (keys sorted), so equal matches compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical((value as Doc)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether a match matches every request (no conditions). */
function matchesAll(match: Doc): boolean {
  return Object.keys(match).filter(k => k !== 'name').length === 0;
}

/**
 * IST0130: a rule can never apply (an earlier rule matches everything, or every one of its matches
 * repeats an earlier rule's); IST0131: one match of a rule repeats an earlier rule's match.
 */
export const virtualServiceRuleOrder: Analyzer = {
  codes: ['IST0130', 'IST0131'],
  analyze(index, report) {
    for (const vs of index.ofKind('VirtualService')) {
      for (const section of ['http', 'tcp', 'tls'] as const) {
        const rules: Doc[] = vs.doc.spec?.[section] ?? [];
        const seen = new Map<string, number>();
        let catchAll: number | undefined;
        rules.forEach((rule, i) => {
          const field = `spec.${section}[${i}]`;
          if (catchAll !== undefined) {
            report('IST0130', vs, `VirtualService rule #${i} not used (rule #${catchAll} matches every request and only the last rule can have no matches). Move the catch-all rule last.`, field);
            return;
          }
          const matches: Doc[] = rule.match ?? [];
          if (matches.length === 0 || matches.some(matchesAll)) {
            if (i < rules.length - 1) catchAll = i;
            return;
          }
          const keys = matches.map(m => canonical({ ...m, name: undefined }));
          const duplicates = keys.map(k => seen.get(k));
          duplicates.forEach((d, j) => d !== undefined && report('IST0131', vs,
            `VirtualService rule #${i} match #${j} is not used (duplicate/overlapping match in rule #${d}). Remove the match.`, `${field}.match[${j}]`));
          if (duplicates.every(d => d !== undefined)) {
            report('IST0130', vs, `VirtualService rule #${i} not used (all its matches are used by prior rules #${[...new Set(duplicates)].join(', #')}). Remove it or change its matches.`, field);
          }
          keys.forEach(k => !seen.has(k) && seen.set(k, i));
        });
      }
    }
  },
};
