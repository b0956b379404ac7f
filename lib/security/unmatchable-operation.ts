import { IConstruct } from 'constructs';
import type { OperationFieldOf } from './grpc-operation';
import { MeshConfigError } from '../core/errors';
import { matchesSomeMethod } from '../core/http-methods';

/** The request fields of an operation judged here. */
export interface MatchedOperation {
  /** HTTP methods. */
  readonly methods?: readonly string[];
  /** HTTP methods excluded. */
  readonly notMethods?: readonly string[];
  /** Request paths. */
  readonly paths?: readonly string[];
  /** Request paths excluded. */
  readonly notPaths?: readonly string[];
}

/**
 * Refuses the entries of an authorization operation that no request can match, whatever the
 * policy's action: an ALLOW rule that matches nothing denies what it was meant to allow, a DENY
 * rule lets through what it was meant to block, and a `not…` entry that matches nothing excludes
 * nothing. Istio compares them with the request case-sensitively:
 *
 * - a method in the wrong case (`delete`: HTTP methods are upper case), or with a `/` (a gRPC
 *   method name, whose calls are all POST);
 * - a path that starts with neither `/` nor `*` (request paths start with `/`), or is empty;
 * - a path with a `*` inside it that is not a template segment: Istio takes such a `*` literally,
 *   where the template segment `{*}` matches any one segment and `{**}` the rest.
 *
 * Other methods (`PROPFIND`, `PURGE`) are left to KIA0102, as some servers take them.
 */
export function checkMatchableOperation(scope: IConstruct, fieldOf: OperationFieldOf, op: MatchedOperation): void {
  for (const key of ['methods', 'notMethods'] as const) {
    (op[key] ?? []).forEach((method, i) => {
      if (method.includes('/')) {
        throw new MeshConfigError(scope, fieldOf(key, i),
          `"${method}" is a gRPC method name, and ${key} match HTTP methods (POST for every gRPC call), so it never matches`,
          'name the call in grpc: [\'<package>.<Service>/<Method>\'], or write an HTTP method');
      }
      if (!matchesSomeMethod(method) && matchesSomeMethod(method.toUpperCase())) {
        throw new MeshConfigError(scope, fieldOf(key, i), `"${method}" never matches: Istio compares methods case-sensitively, and HTTP `
          + 'methods are upper case', `write "${method.toUpperCase()}"`);
      }
    });
  }
  for (const key of ['paths', 'notPaths'] as const) {
    (op[key] ?? []).forEach((path, i) => {
      if (!path.startsWith('/') && !path.startsWith('*')) {
        throw new MeshConfigError(scope, fieldOf(key, i), `${JSON.stringify(path)} never matches: request paths start with "/"`,
          path === '' ? 'write a path such as "/api/*", or leave the entry out' : `write "/${path}"`);
      }
      if (path.length > 1 && path.replace(/\{\*\*?\}/g, '').slice(1, -1).includes('*')) {
        const problem = `${JSON.stringify(path)} matches only a path with a literal "*" in it: Istio takes * as a wildcard only at `
          + 'the start or the end of a path, or as a template segment ({*} one segment, {**} the rest)';
        const templated = path.replace(/\/\*(?=\/)/g, '/{*}');
        throw new MeshConfigError(scope, fieldOf(key, i), problem, `write ${JSON.stringify(templated)} to match any one segment there`);
      }
    });
  }
}
