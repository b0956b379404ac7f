import { IConstruct } from 'constructs';
import * as L1 from '../../imports/networking.istio.io';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { AuthorityHeaders, headerOperationNameProblem, headerValueProblem, isHeaderToken } from '../core/http-headers';
import { SECRET_HEADER_FIX, secretHeaderProblem } from '../core/secret-env-name';

/**
 * Changes to the headers of one message (a request or a response). Names are RFC 7230 tokens,
 * written in lower case (Envoy compares them case-insensitively); values may use Envoy's command
 * operators such as `%DOWNSTREAM_REMOTE_ADDRESS%` (`%%` for a literal percent sign).
 */
export interface HeaderOperations {
  /**
   * Headers to set, replacing any value the message has.
   * @default none
   */
  readonly set?: Record<string, string>;
  /**
   * Headers to append; a header the message has keeps its values.
   * @default none
   */
  readonly add?: Record<string, string>;
  /**
   * Names of headers to remove.
   * @default none
   */
  readonly remove?: string[];
}

/**
 * Header changes of a route (`HttpRoute.headers`, for every destination) or of one destination
 * (`Destination.withHeaders()`): `request` applies to requests forwarded to the destination,
 * `response` to responses returned to the caller.
 */
export interface HeaderRules {
  /**
   * Changes to the request before it is forwarded.
   * @default none
   */
  readonly request?: HeaderOperations;
  /**
   * Changes to the response before it is returned.
   * @default none
   */
  readonly response?: HeaderOperations;
}

/** Where header rules are written: a route's apply to all its destinations, a destination's to that one. */
export type HeaderRulesLevel = 'route' | 'destination';

/**
 * The Istio `headers` object of `rules` at `field` (undefined when nothing is changed); throws a
 * {@link MeshConfigError} for a name that is not an RFC 7230 token, a pseudo-header, the Host
 * header where Istio refuses it (a route's authority is changed by `rewrite.authority`; a
 * destination's requests may set `host`), two names equal but for case, or a value Istio refuses.
 */
export function renderHeaderRules(
  scope: IConstruct, field: string, rules: HeaderRules, level: HeaderRulesLevel,
): L1.VirtualServiceSpecHttpHeaders | undefined {
  const side = (name: 'request' | 'response'): L1.VirtualServiceSpecHttpHeadersRequest | undefined => {
    const ops = rules[name];
    if (ops === undefined) return undefined;
    const authority: AuthorityHeaders = name === 'request' && level === 'destination' ? 'host' : 'none';
    const at = `${field}.${name}`;
    return compact({
      set: ops.set && headerValues(scope, `${at}.set`, ops.set, authority, level),
      add: ops.add && headerValues(scope, `${at}.add`, ops.add, authority, level),
      remove: ops.remove && headerNames(scope, `${at}.remove`, ops.remove.map((n, i) => [n, `[${i}]`] as const), 'none', level),
    });
  };
  return compact({ request: side('request'), response: side('response') });
}

function headerValues(
  scope: IConstruct, field: string, values: Record<string, string>, authority: AuthorityHeaders, level: HeaderRulesLevel,
): Record<string, string> {
  const entries = Object.entries(values);
  const names = headerNames(scope, field, entries.map(([n]) => [n, `.${n}`] as const), authority, level);
  return Object.fromEntries(entries.map(([name, value], i) => {
    const problem = headerValueProblem(value);
    if (problem !== undefined) {
      throw new MeshConfigError(scope, `${field}.${name}`, problem,
        'write "%%" for a literal percent sign, put Envoy operators between two "%" (e.g. %DOWNSTREAM_REMOTE_ADDRESS%), '
        + 'and no control characters');
    }
    const secret = secretHeaderProblem(name, value);
    if (secret !== undefined) throw new MeshConfigError(scope, `${field}.${name}`, secret, SECRET_HEADER_FIX);
    return [names[i], value];
  }));
}

/** The lower-cased names, checked; `names` pairs each name with its field suffix. */
function headerNames(
  scope: IConstruct, field: string, names: readonly (readonly [string, string])[], authority: AuthorityHeaders, level: HeaderRulesLevel,
): string[] {
  const seen = new Map<string, string>();
  return names.map(([name, suffix]) => {
    const at = `${field}${suffix}`;
    const problem = headerOperationNameProblem(name, authority);
    if (problem !== undefined) {
      throw new MeshConfigError(scope, at, problem, level === 'route'
        ? 'name a regular header; to change the authority (Host) use rewrite: { authority }'
        : 'name a regular header; only a request set or add may name host, to send that destination another authority');
    }
    if (!isHeaderToken(name)) {
      throw new MeshConfigError(scope, at, `${JSON.stringify(name)} is not an HTTP header name (an RFC 7230 token)`,
        'use letters, digits and "-" (or other token characters such as "_" and "."), no spaces, colons or quotes');
    }
    const lower = name.toLowerCase();
    const earlier = seen.get(lower);
    if (earlier !== undefined) {
      throw new MeshConfigError(scope, at, `"${name}" and "${earlier}" are the same header (names are case-insensitive)`,
        'list each header once');
    }
    seen.set(lower, name);
    return lower;
  });
}
