import { IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';

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

  private constructor(private readonly json: Record<string, string>) {}

  /** @internal */
  public _toIstio(): Record<string, string> {
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

  /** URI starting with `path`. */
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

  /** A request header (lower-case name) matching `match`. */
  public static header(name: string, match: StringMatch): HttpMatch {
    return new HttpMatch({ headers: { [name.toLowerCase()]: match._toIstio() } });
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
    private readonly json: Record<string, unknown>,
    private readonly conflicts: readonly string[] = [],
    private readonly prefixQueries: readonly string[] = [],
  ) {}

  /**
   * Both this match and `other` must hold. Conditions on different headers, query parameters and
   * labels accumulate; constraining a single-valued field (uri, method, port) or the same header,
   * parameter or label twice differently is reported when the route is added.
   */
  public and(other: HttpMatch): HttpMatch {
    const merged: Record<string, unknown> = { ...this.json };
    const conflicts = [...this.conflicts, ...other.conflicts];
    for (const [key, value] of Object.entries(other.json)) {
      if (merged[key] === undefined) {
        merged[key] = value;
      } else if (['headers', 'queryParams', 'sourceLabels'].includes(key)) {
        const mine = merged[key] as Record<string, unknown>;
        for (const [name, condition] of Object.entries(value as Record<string, unknown>)) {
          if (name in mine && JSON.stringify(mine[name]) !== JSON.stringify(condition)) conflicts.push(`${key}.${name}`);
        }
        merged[key] = { ...mine, ...value as object };
      } else {
        conflicts.push(key);
      }
    }
    return new HttpMatch(merged, conflicts, [...this.prefixQueries, ...other.prefixQueries]);
  }

  /** @internal The Istio `HTTPMatchRequest`; throws for a prefix query match or conditions `and()` made conflict. */
  public _toIstio(scope: IConstruct, field: string): Record<string, unknown> {
    if (this.prefixQueries.length > 0) {
      throw new MeshConfigError(scope, `${field}.${this.prefixQueries[0]}`, 'Istio matches query parameters exactly or by regex, not by prefix',
        'use StringMatch.exact() or StringMatch.regex(\'^value.*\')');
    }
    if (this.conflicts.length > 0) {
      const key = this.conflicts[0];
      throw new MeshConfigError(scope, `${field}.${key}`, `the match constrains ${key} twice with and(), which one request cannot satisfy`,
        'list the alternatives as separate matches of the route (any one applies)');
    }
    return this.json;
  }
}
