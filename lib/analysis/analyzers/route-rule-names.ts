import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * CDK0004: rules of one Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute) with the same
 * `name`. The Gateway API requires rule names to be unique within a route, but its CRDs do not
 * enforce it, so the API server accepts such a route. Reported on each rule after the first.
 */
export const routeRuleNames: Analyzer = {
  name: 'route-rule-names',
  codes: ['CDK0004'],
  analyze(index, report) {
    for (const route of index.gatewayApiRoutes()) {
      const byName = new Map<string, number[]>();
      list(route.spec.rules).forEach((rule, i) => {
        if (typeof rule?.name === 'string' && rule.name !== '') byName.set(rule.name, [...byName.get(rule.name) ?? [], i]);
      });
      for (const [name, rules] of byName) {
        for (const i of rules.slice(1)) report(route, msg.routeRuleNameNotUnique(name, route.kind, rules), `spec.rules[${i}].name`);
      }
    }
  },
};
