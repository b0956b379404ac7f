import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';
import { REPLACEABLE, ROUTE_TARGETS } from './envoy-filter-operations';
import { EnvoyConfigPatchSpec } from '../spec-types';

/** The operations whose result depends on what other patches did first. */
const RELATIVE = new Set(['INSERT_BEFORE', 'INSERT_AFTER', 'REPLACE', 'REMOVE']);

/**
 * IST0151: an EnvoyFilter without a priority uses a relative operation (INSERT_BEFORE/AFTER, and
 * REPLACE or REMOVE where they are valid: elsewhere they are IST0154 and IST0152), whose result depends on the order of the filters;
 * IST0155 instead when another patch, matching by `proxyVersion`, patches the same filter, so the
 * order changes during an upgrade. (Istio counts only the proxyVersion patches it has read before;
 * here every other patch counts, whatever the order of the input.)
 */
export const envoyFilterRelativeOperations: Analyzer = {
  name: 'envoy-filter-relative-operations',
  codes: ['IST0151', 'IST0155'],
  analyze(index, report) {
    const filters = index.envoyFilters().map(ef => {
      const patches = list(ef.spec.configPatches);
      const end = patches.findIndex(p => p.patch === undefined);
      return { ef, patches: patches.slice(0, end < 0 ? patches.length : end) };
    });
    const versioned = new Map<string, number>();
    for (const { patches } of filters) {
      for (const p of patches) {
        const name = filterName(p);
        if (name !== undefined && p.match?.proxy?.proxyVersion) versioned.set(name, (versioned.get(name) ?? 0) + 1);
      }
    }
    for (const { ef, patches } of filters) {
      if (ef.spec.priority) continue;
      patches.forEach((p, i) => {
        const operation = p.patch?.operation ?? '';
        const applyTo = p.applyTo ?? '';
        const misused = (operation === 'REMOVE' && ROUTE_TARGETS.has(applyTo)) || (operation === 'REPLACE' && !REPLACEABLE.has(applyTo));
        if (!RELATIVE.has(operation) || misused) return;
        const name = filterName(p);
        const others = name === undefined ? 0 : (versioned.get(name) ?? 0) - (p.match?.proxy?.proxyVersion ? 1 : 0);
        const field = `spec.configPatches[${i}].patch.operation`;
        report(ef, others > 0
          ? msg.envoyFilterUsesRelativeOperationWithProxyVersion(operation)
          : msg.envoyFilterUsesRelativeOperation(operation), field);
      });
    }
  },
};

/** The filter a patch is about: its value's `name`, else the listener filter it matches. */
function filterName(p: EnvoyConfigPatchSpec): string | undefined {
  const name = p.patch?.value?.name;
  if (typeof name === 'string' && name !== '') return name;
  const matched = p.match?.listener?.filterChain?.filter?.name;
  return typeof matched === 'string' && matched !== '' ? matched : undefined;
}
