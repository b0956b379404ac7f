import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/** The targets on which Envoy ignores ADD and REMOVE. */
export const ROUTE_TARGETS: ReadonlySet<string> = new Set(['ROUTE_CONFIGURATION', 'HTTP_ROUTE']);
/** The only targets REPLACE works on. */
export const REPLACEABLE: ReadonlySet<string> = new Set(['HTTP_FILTER', 'NETWORK_FILTER']);

/**
 * IST0152: an EnvoyFilter patch REPLACEs something other than an HTTP or network filter;
 * IST0153 / IST0154: it ADDs or REMOVEs a route configuration or route, which Envoy ignores.
 * Patches are read up to the first one without a `patch` section, as Istio does.
 */
export const envoyFilterOperations: Analyzer = {
  name: 'envoy-filter-operations',
  codes: ['IST0152', 'IST0153', 'IST0154'],
  analyze(index, report) {
    for (const ef of index.envoyFilters()) {
      const patches = list(ef.spec.configPatches);
      const end = patches.findIndex(p => p.patch === undefined);
      patches.slice(0, end < 0 ? patches.length : end).forEach((p, i) => {
        const applyTo = p.applyTo ?? 'INVALID';
        const field = `spec.configPatches[${i}].patch.operation`;
        const operation = p.patch?.operation;
        if (operation === 'ADD' && ROUTE_TARGETS.has(applyTo)) report(ef, msg.envoyFilterUsesAddOperationIncorrectly(applyTo), field);
        if (operation === 'REMOVE' && ROUTE_TARGETS.has(applyTo)) report(ef, msg.envoyFilterUsesRemoveOperationIncorrectly(applyTo), field);
        if (operation === 'REPLACE' && !REPLACEABLE.has(applyTo)) {
          report(ef, msg.envoyFilterUsesReplaceOperationIncorrectly(applyTo), field);
        }
      });
    }
  },
};
