import { HTTP_METHODS, matchesSomeMethod } from '../../core/http-methods';
import { Analyzer } from '../analyzer';
import { list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/** Why a method never matches (see {@link InvalidMethodReason} in message-constructors.ts). */
type InvalidMethodReason = Parameters<typeof msg.invalidAuthorizationMethod>[1];

/** A fully-qualified gRPC method name, `/<package>.<Service>/<Method>`, as Kiali recognizes it. */
const GRPC_NAME = /^(\/[a-zA-Z.]+)+\/[a-zA-Z]+$/;

/** Why a `methods` entry never matches a request, or undefined when it can. */
function invalidMethod(value: string): InvalidMethodReason | undefined {
  if (matchesSomeMethod(value)) return undefined;
  if (GRPC_NAME.test(value) || value.includes('/')) return 'grpc-name';
  if (matchesSomeMethod(value.trim().toUpperCase())) return 'case';
  return 'unknown';
}

/**
 * KIA0102: an AuthorizationPolicy operation lists a method that no request has. Kiali accepts HTTP
 * methods in any case and gRPC names (`/package.Service/Method`); Istio compares `methods` and
 * `notMethods` case-sensitively with the HTTP method, which is POST for every gRPC call, so this
 * analyzer also reports lower-case methods and gRPC names (which belong in `paths`).
 */
export const authorizationMethods: Analyzer = {
  name: 'authorization-methods',
  codes: ['KIA0102'],
  analyze(index, report) {
    for (const policy of index.authorizationPolicies()) {
      list(policy.spec.rules).forEach((rule, i) => list(rule.to).forEach((to, j) => {
        for (const key of ['methods', 'notMethods'] as const) {
          strings(to.operation?.[key]).forEach((method, k) => {
            const reason = invalidMethod(method);
            if (!reason) return;
            const field = `spec.rules[${i}].to[${j}].operation.${key}[${k}]`;
            report(policy, msg.invalidAuthorizationMethod(method, reason, HTTP_METHODS), field);
          });
        }
      }));
    }
  },
};
