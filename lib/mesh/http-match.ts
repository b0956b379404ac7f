import { IConstruct } from 'constructs';
import * as L1 from '../../imports/networking.istio.io';
import { checkPortNumber, checkRe2 } from '../core/checks';
import { MeshConfigError } from '../core/errors';

/** Istio's StringMatch; the L1 types of uri, headers, queryParams and method all have this shape. */
type StringMatchJson = L1.VirtualServiceSpecHttpMatchUri;

/** The fields of an Istio `HTTPMatchRequest` that HttpMatch writes. */
type HttpMatchJson = Pick<L1.VirtualServiceSpecHttpMatch, 'uri' | 'headers' | 'queryParams' | 'method' | 'port' | 'sourceLabels'>;

/** The header-match name prefix of a JWT claim (Istio's claim based routing, on gateways only). */
const JWT_CLAIM_PREFIX = '@request.auth.claims';

/** How a string (URI, header, query parameter, method) is matched. */
export class StringMatch {
  /** Equal to `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch({ exact: value });
  }

  /** Starting with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch({ prefix: value });
  }

  /** Matching the RE2 regular expression `pattern`. */
  public static regex(pattern: string): StringMatch {
    return new StringMatch({ regex: pattern });
  }

  private constructor(private readonly json: StringMatchJson) {}

  /** @internal */
  public _toIstio(): StringMatchJson {
    return this.json;
  }
}

/**
 * Conditions on an HTTP request. Conditions combined with `and()` must all hold; a route with
 * several matches applies when any of them does.
 */
export class HttpMatch {
  /** URI equal to `path`. */
  public static exact(path: string): HttpMatch {
    return HttpMatch.uri(StringMatch.exact(path));
  }

  /**
   * URI starting with `path`. Rendered to the Gateway API, it is an HTTPRoute PathPrefix, which
   * matches whole path elements: `/static` then does not match `/staticfile`, and `/api/` matches
   * `/api` too (the trailing slash is ignored), as upstream's own Gateway API samples accept.
   */
  public static prefix(path: string): HttpMatch {
    return HttpMatch.uri(StringMatch.prefix(path));
  }

  /** URI matching the RE2 regular expression `pattern`. */
  public static regex(pattern: string): HttpMatch {
    return HttpMatch.uri(StringMatch.regex(pattern));
  }

  /** URI matching `match`. */
  public static uri(match: StringMatch): HttpMatch {
    return new HttpMatch({ uri: match._toIstio() });
  }

  /**
   * A request header (lower-case name) matching `match`; on a gateway, `@request.auth.claims.<claim>`
   * matches a claim of the request's validated JWT (claim names keep their case).
   */
  public static header(name: string, match: StringMatch): HttpMatch {
    const key = name.startsWith(JWT_CLAIM_PREFIX) ? name : name.toLowerCase();
    return new HttpMatch({ headers: { [key]: match._toIstio() } });
  }

  /** A query parameter matching `match` (exact or regex; Istio has no prefix match for them). */
  public static queryParam(name: string, match: StringMatch): HttpMatch {
    const condition = match._toIstio();
    const unsupported = condition.prefix !== undefined ? [`queryParams.${name}`] : [];
    return new HttpMatch({ queryParams: { [name]: condition } }, [], unsupported);
  }

  /** The HTTP method, e.g. `GET`. */
  public static method(method: string): HttpMatch {
    return new HttpMatch({ method: { exact: method.toUpperCase() } });
  }

  /** The port the request arrived on. */
  public static port(port: number): HttpMatch {
    return new HttpMatch({ port });
  }

  /** Requests from workloads carrying these labels. */
  public static sourceLabels(labels: Record<string, string>): HttpMatch {
    return new HttpMatch({ sourceLabels: labels });
  }

  private constructor(
    private readonly json: HttpMatchJson,
    private readonly conflicts: readonly string[] = [],
    private readonly prefixQueries: readonly string[] = [],
  ) {}

  /**
   * Both this match and `other` must hold. Conditions on different headers, query parameters and
   * labels accumulate; constraining a single-valued field (uri, method, port) or the same header,
   * parameter or label twice differently is reported when the route is added.
   */
  public and(other: HttpMatch): HttpMatch {
    const mine = this.json;
    const theirs = other.json;
    const conflicts = [...this.conflicts, ...other.conflicts];
    for (const key of Object.keys(theirs).filter(isMatchField)) {
      if (mine[key] === undefined || theirs[key] === undefined) continue;
      if (key === 'headers' || key === 'queryParams' || key === 'sourceLabels') {
        conflicts.push(...conditionConflicts(key, mine[key], theirs[key]));
      } else {
        conflicts.push(key);
      }
    }
    const merged: HttpMatchJson = {
      uri: mine.uri ?? theirs.uri,
      headers: mergeConditions(mine.headers, theirs.headers),
      queryParams: mergeConditions(mine.queryParams, theirs.queryParams),
      method: mine.method ?? theirs.method,
      port: mine.port ?? theirs.port,
      sourceLabels: mergeConditions(mine.sourceLabels, theirs.sourceLabels),
    };
    return new HttpMatch(merged, conflicts, [...this.prefixQueries, ...other.prefixQueries]);
  }

  /** @internal The Istio `HTTPMatchRequest`; throws for a prefix query match or conditions `and()` made conflict. */
  public _toIstio(scope: IConstruct, field: string): L1.VirtualServiceSpecHttpMatch {
    if (this.prefixQueries.length > 0) {
      throw new MeshConfigError(scope, `${field}.${this.prefixQueries[0]}`,
        'Istio matches query parameters exactly or by regex, not by prefix',
        'use StringMatch.exact() or StringMatch.regex(\'^value.*\')');
    }
    if (this.conflicts.length > 0) {
      const key = this.conflicts[0];
      throw new MeshConfigError(scope, `${field}.${key}`, `the match constrains ${key} twice with and(), which one request cannot satisfy`,
        'list the alternatives as separate matches of the route (any one applies)');
    }
    const { uri, method, headers, queryParams, port } = this.json;
    checkUriMatchable(scope, `${field}.uri`, uri);
    if (port !== undefined) checkPortNumber(scope, `${field}.port`, port);
    for (const [key, match] of [['uri', uri], ['method', method]] as const) {
      if (match?.regex !== undefined) checkRe2(scope, `${field}.${key}.regex`, match.regex);
    }
    for (const [key, conditions] of [['headers', headers], ['queryParams', queryParams]] as const) {
      for (const [name, match] of Object.entries(conditions ?? {})) {
        if (match.regex !== undefined) checkRe2(scope, `${field}.${key}.${name}.regex`, match.regex);
      }
    }
    return this.json;
  }
}

/**
 * Refuses an exact or prefix URI match no request can satisfy: a request's path starts with `/`
 * (an empty prefix, which matches every path, passes).
 */
function checkUriMatchable(scope: IConstruct, field: string, uri: StringMatchJson | undefined): void {
  for (const kind of ['exact', 'prefix'] as const) {
    const value = uri?.[kind];
    if (value === undefined || value.startsWith('/') || (kind === 'prefix' && value === '')) continue;
    throw new MeshConfigError(scope, `${field}.${kind}`, `${JSON.stringify(value)} never matches: request paths start with "/"`,
      value === '' ? 'match a path such as "/api", or leave the uri condition out' : `write "/${value}"`);
  }
  const exact = uri?.exact;
  if (exact !== undefined && exact.includes('?')) {
    throw new MeshConfigError(scope, `${field}.exact`, `${JSON.stringify(exact)} never matches: Envoy compares an exact path without `
      + 'the query string', `match the path exactly (${JSON.stringify(exact.slice(0, exact.indexOf('?')))}) and the parameters with `
      + 'HttpMatch.queryParam()');
  }
}

const MATCH_FIELDS: Readonly<Record<keyof HttpMatchJson, true>> = {
  uri: true, headers: true, queryParams: true, method: true, port: true, sourceLabels: true,
};

function isMatchField(key: string): key is keyof HttpMatchJson {
  return Object.prototype.hasOwnProperty.call(MATCH_FIELDS, key);
}

type Conditions<V> = Readonly<Record<string, V>>;

/** `field.name` for every name both maps constrain differently. */
function conditionConflicts(field: string, mine: Conditions<unknown> | undefined, theirs: Conditions<unknown> | undefined): string[] {
  if (!mine || !theirs) return [];
  return Object.entries(theirs)
    .filter(([name, condition]) => name in mine && JSON.stringify(mine[name]) !== JSON.stringify(condition))
    .map(([name]) => `${field}.${name}`);
}

/** Both maps' conditions, `theirs` winning on names both have (those are reported as conflicts). */
function mergeConditions<V>(mine: Conditions<V> | undefined, theirs: Conditions<V> | undefined): Conditions<V> | undefined {
  return mine && theirs ? { ...mine, ...theirs } : mine ?? theirs;
}
