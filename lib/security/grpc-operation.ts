import { IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';
import { PortProtocol } from '../core/port-protocol';
import type { ResolvedServicePort } from '../core/workload-refs';

/**
 * gRPC in authorization rules. A gRPC call is an HTTP/2 POST to `/<package>.<Service>/<Method>`,
 * and Istio matches it on that path: `methods: ['PlaceOrder']` or `paths: ['/api/orders']` on a
 * gRPC port match no call, so an ALLOW rule silently denies everything. These helpers turn
 * `<package>.<Service>/<Method>` names into paths and refuse what cannot match on gRPC ports.
 */

/** A proto identifier (package part, service or method name). */
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** `<package>.<Service>`: at least one package part before the service. */
const QUALIFIED_SERVICE = `${IDENT}(?:\\.${IDENT})+`;
const GRPC_NAME = new RegExp(`^${QUALIFIED_SERVICE}/(?:${IDENT}|\\*)$`);
const GRPC_PATH = new RegExp(`^/${QUALIFIED_SERVICE}/${IDENT}$`);
/** What may precede a trailing `*` (Istio prefix match): the start of some gRPC path. */
const GRPC_PATH_PREFIX = new RegExp(`^/(?:[A-Za-z0-9_.]*|${QUALIFIED_SERVICE}/[A-Za-z0-9_]*)$`);
/** What may follow a leading `*` (Istio suffix match): the end of some gRPC path. */
const GRPC_PATH_SUFFIX = new RegExp(`^(?:[A-Za-z0-9_]*|[A-Za-z0-9_.]*/${IDENT}|/${QUALIFIED_SERVICE}/${IDENT})$`);
const IDENT_ONLY = new RegExp(`^${IDENT}$`);
const QUALIFIED_ONLY = new RegExp(`^${QUALIFIED_SERVICE}$`);
const DOTTED_ONLY = new RegExp(`^${IDENT}(?:\\.${IDENT})*$`);
/** Protocols whose connections carry HTTP/2, the only transport of gRPC calls. */
const HTTP2_PROTOCOLS: readonly PortProtocol[] = [PortProtocol.GRPC, PortProtocol.GRPC_WEB, PortProtocol.HTTP2];

/** Names the field of an operation key (`methods`, `paths`, `notPaths`, `grpc`), and of its `index`-th entry when given. */
export type OperationFieldOf = (key: string, index?: number) => string;

/** Field names under `prefix`: `<prefix>.<key>`, `<prefix>.<key>[<index>]`. */
export function operationFields(prefix: string): OperationFieldOf {
  return (key, index) => `${prefix}.${key}${index === undefined ? '' : `[${index}]`}`;
}

/** The request conditions the gRPC checks read. */
export interface GrpcCheckedOperation {
  /** HTTP methods. */
  readonly methods?: string[];
  /** Paths. */
  readonly paths?: string[];
  /** Paths excluded. */
  readonly notPaths?: string[];
  /** gRPC methods as `<package>.<Service>/<Method>` or `<package>.<Service>/*`. */
  readonly grpc?: string[];
}

/**
 * The paths Istio matches for gRPC methods named `<package>.<Service>/<Method>` (or
 * `<package>.<Service>/*` for every method of the service): `/<package>.<Service>/<Method>`.
 * Throws a {@link MeshConfigError} on a name of another shape.
 */
export function grpcPaths(scope: IConstruct, fieldOf: OperationFieldOf, names: readonly string[]): string[] {
  return names.map((name, i) => {
    if (!GRPC_NAME.test(name)) {
      throw new MeshConfigError(scope, fieldOf('grpc', i), `"${name}" is not a gRPC method name (${grpcNameProblem(name)})`,
        `write it as '<package>.<Service>/<Method>' or '<package>.<Service>/*': ${exampleOf(name)}`);
    }
    return `/${name}`;
  });
}

/**
 * The protocols of the Service ports a rule matches: those forwarding to `targetPorts` (the
 * container ports Istio matches), or every port when the rule names none; undefined when the
 * protocols are not known (no ports, or a listed port none of them forwards to).
 */
export function matchedProtocols(ports: readonly ResolvedServicePort[], targetPorts?: readonly number[]): PortProtocol[] | undefined {
  if (ports.length === 0) return undefined;
  if (!targetPorts) return ports.map(p => p.protocol);
  const matched = targetPorts.map(t => ports.filter(p => p.targetPort === t).map(p => p.protocol));
  return matched.some(m => m.length === 0) ? undefined : matched.flat();
}

/**
 * Refuses the request conditions that cannot match the gRPC calls of the ports a rule matches
 * (`protocols`, undefined when not known): `grpc` names when no port carries HTTP/2 and, when
 * every port is gRPC, HTTP methods other than POST, gRPC method names given as `methods`, and
 * paths or notPaths that are not of the `/<package>.<Service>/<Method>` shape. gRPC-Web ports are
 * not held to POST, since browsers send CORS preflight requests as OPTIONS.
 */
export function checkGrpcOperation(scope: IConstruct, fieldOf: OperationFieldOf, op: GrpcCheckedOperation,
  protocols: readonly PortProtocol[] | undefined): void {
  if (!protocols) return;
  if (op.grpc && !protocols.some(p => HTTP2_PROTOCOLS.includes(p))) {
    throw new MeshConfigError(scope, fieldOf('grpc'),
      `gRPC calls travel over HTTP/2, and the ports this rule matches are ${[...new Set(protocols)].join(', ')}, which carry none`,
      'declare the port with protocol PortProtocol.GRPC (name grpc or grpc-<suffix>), or list the gRPC port in ports');
  }
  if (!protocols.every(p => p === PortProtocol.GRPC)) return;
  (op.methods ?? []).forEach((method, i) => {
    if (method === 'POST') return;
    const [problem, fix] = grpcMethodMistake(method);
    throw new MeshConfigError(scope, fieldOf('methods', i), `${problem} on a gRPC port, where every call is an HTTP POST`, fix);
  });
  for (const key of ['paths', 'notPaths'] as const) {
    (op[key] ?? []).forEach((path, i) => {
      if (isGrpcPath(path)) return;
      throw new MeshConfigError(scope, fieldOf(key, i),
        `"${path}" cannot be the path of a gRPC call (/<package>.<Service>/<Method>), so it matches nothing on a gRPC port`,
        'name the calls with grpc: [\'<package>.<Service>/<Method>\'] or grpc: [\'<package>.<Service>/*\'] instead');
    });
  }
}

/** Whether an Istio path pattern (exact, `prefix*`, `*suffix` or `*`) can match a gRPC call's path. */
function isGrpcPath(path: string): boolean {
  if (path.startsWith('*')) return GRPC_PATH_SUFFIX.test(path.slice(1));
  if (path.endsWith('*')) return GRPC_PATH_PREFIX.test(path.slice(0, -1));
  return GRPC_PATH.test(path);
}

/** The problem and fix for an entry of `methods` that is not POST on a gRPC port. */
function grpcMethodMistake(method: string): [string, string] {
  if (method.includes('/')) {
    return [`"${method}" is a gRPC method name, but methods match HTTP methods`,
      `move it to grpc: [${exampleOf(method)}] and drop methods`];
  }
  // Proto method names are CamelCase; HTTP methods are one case (and case-sensitive).
  if (IDENT_ONLY.test(method) && method !== method.toUpperCase() && method !== method.toLowerCase()) {
    return [`"${method}" looks like a gRPC method name, but methods match HTTP methods`,
      `name it with its service in grpc: ['<package>.<Service>/${method}'] and drop methods`];
  }
  return [`HTTP method "${method}" matches no call`,
    'drop methods (or use POST) and name the calls with grpc: [\'<package>.<Service>/<Method>\']'];
}

/** What is wrong with a name that is not `<package>.<Service>/<Method>`. */
function grpcNameProblem(name: string): string {
  if (name.startsWith('/')) return 'it starts with "/"; the path\'s leading slash is added for you';
  const slash = name.indexOf('/');
  if (slash < 0) return 'it has no "<package>.<Service>/" part';
  const service = name.slice(0, slash);
  const method = name.slice(slash + 1);
  if (!DOTTED_ONLY.test(service)) return `"${service}" is not a dotted proto name`;
  if (!service.includes('.')) return `service "${service}" has no package`;
  return `"${method}" is neither a proto identifier nor *`;
}

/** A `'<package>.<Service>/<Method>'` name close to what was written, for the fix. */
function exampleOf(written: string): string {
  const name = written.replace(/^\//, '');
  const slash = name.indexOf('/');
  const [service, method] = slash < 0 ? ['', name] : [name.slice(0, slash), name.slice(slash + 1)];
  const servicePart = QUALIFIED_ONLY.test(service) ? service
    : `<package>.${IDENT_ONLY.test(service) ? service : '<Service>'}`;
  const methodPart = (method === '*' || IDENT_ONLY.test(method)) ? method : '<Method>';
  return `'${servicePart}/${methodPart}'`;
}
