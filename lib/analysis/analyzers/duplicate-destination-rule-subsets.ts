import type { DestinationRuleSpec } from '../../../imports/networking.istio.io';
import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { TypedResource, list } from '../mesh-index';
import { msg } from '../message-constructors';
import { exportsOverlap } from './overlaps';

type DestinationRule = TypedResource<DestinationRuleSpec>;

/** The subset names a DestinationRule defines; undefined when it defines none, so it applies to every subset. */
function subsetNames(dr: DestinationRule): Set<string> | undefined {
  const names = list(dr.spec.subsets).map(s => s.name).filter((n): n is string => typeof n === 'string');
  return names.length === 0 ? undefined : new Set(names);
}

/** The subsets two DestinationRules both configure (`undefined` standing for all of them). */
function sharedSubsets(a: Set<string> | undefined, b: Set<string> | undefined): string[] | 'all' {
  if (a === undefined && b === undefined) return 'all';
  if (a === undefined) return [...b!];
  if (b === undefined) return [...a];
  return [...a].filter(s => b.has(s));
}

/**
 * KIA0201: two DestinationRules for the same host (fully qualified, with the same workload
 * selector, both visible from some namespace under exportTo) configure the same subset, or one of
 * them configures the whole host: Istio keeps the first one it sees of each subset and silently
 * drops the other. Rules are grouped by host first; a wildcard-host rule that only turns on
 * ISTIO_MUTUAL is left out, as in Kiali. Unlike Kiali, a wildcard host is not compared with the
 * hosts it covers: Istio applies the most specific host's rule there, without merging.
 */
export const duplicateDestinationRuleSubsets: Analyzer = {
  name: 'duplicate-destination-rule-subsets',
  codes: ['KIA0201'],
  analyze(index, report) {
    const byHost = new Map<string, DestinationRule[]>();
    for (const dr of index.destinationRules()) {
      const host: unknown = dr.spec.host;
      if (typeof host !== 'string') continue;
      if (host.startsWith('*') && dr.spec.trafficPolicy?.tls?.mode === 'ISTIO_MUTUAL') continue;
      const selector = Object.entries(dr.spec.workloadSelector?.matchLabels ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',');
      const key = `${qualifyHost(host, dr.namespace)}|${selector}`;
      byHost.set(key, [...byHost.get(key) ?? [], dr]);
    }
    for (const rules of byHost.values()) {
      if (rules.length < 2) continue;
      const subsets = new Map(rules.map(dr => [dr, subsetNames(dr)]));
      for (const dr of rules) {
        const clashes = rules.flatMap(other => {
          if (other === dr || !exportsOverlap(dr, other)) return [];
          const shared = sharedSubsets(subsets.get(dr), subsets.get(other));
          return shared === 'all' || shared.length > 0 ? [{ rule: `${other.namespace}/${other.name}`, shared }] : [];
        });
        if (clashes.length > 0) report(dr, msg.multipleDestinationRulesForHostSubset(dr.spec.host, clashes), 'spec.host');
      }
    }
  },
};
