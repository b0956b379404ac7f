import { IConstruct } from 'constructs';
import { versionService } from './version-service';
import { MeshConfigError } from '../core/errors';
import type { Destination } from '../mesh/destination';

/** A Gateway API backendRef to a Kubernetes Service (the shape HTTPRoute, TCPRoute and TLSRoute share). */
export interface ServiceBackendRef {
  /** The Service name. */
  readonly name: string;
  /** The Service's namespace, when it is not the route's. */
  readonly namespace?: string;
  /** The Service port. */
  readonly port?: number;
  /** The relative weight in a split. */
  readonly weight?: number;
}

/** A short Service name, or `<name>.<namespace>.svc[.cluster.local]`. */
const SERVICE_HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?)?$/;

/**
 * The Service a host names, as seen from `namespace`: a short name there, or
 * `<name>.<namespace>.svc[.cluster.local]`; undefined for other hosts.
 */
export function serviceOfHost(host: string, namespace: string): { readonly name: string; readonly namespace: string } | undefined {
  const m = SERVICE_HOST.exec(host);
  return m ? { name: m[1], namespace: m[4] ?? namespace } : undefined;
}

/** Where a route's backend is, and whether the app owns that Service (a MeshService) or only names it (a host). */
export interface ResolvedBackend {
  /** The backendRef. */
  readonly ref: ServiceBackendRef;
  /** The backend's namespace. */
  readonly namespace: string;
  /** Whether the Service is a MeshService of the app (so the app may grant references to it). */
  readonly owned: boolean;
}

/**
 * The backendRef of `destination` for a route in `namespace`: a MeshService (its version's Service
 * `<name>-<version>`, created here when first named), or a host that names a Kubernetes Service.
 * Throws a {@link MeshConfigError} naming `field` for what a Gateway API backendRef cannot name: a
 * DestinationRule subset, a subset of a host, or a host that is not a Service (an external
 * ServiceEntry host).
 */
export function resolveBackend(scope: IConstruct, field: string, namespace: string, destination: Destination): ResolvedBackend {
  const t = destination._target;
  const weight = destination.weight;
  const classic = 'or keep this route in classic mode (routingApi: RoutingApi.CLASSIC on the VirtualService)';
  if (t.kind === 'rule') {
    throw new MeshConfigError(scope, `${field}.subset`,
      `the Gateway API has no DestinationRule subsets, so subset "${t.subset}" of DestinationRule ${t.rule.node.path} cannot be a backend`,
      `route to a MeshService version (service.version('${t.subset}')), which gets its own Service, ${classic}`);
  }
  if (t.kind === 'host') {
    if (t.subset !== undefined) {
      throw new MeshConfigError(scope, `${field}.subset`,
        `the Gateway API has no DestinationRule subsets (subset "${t.subset}" of ${t.host})`,
        `route to a MeshService version, which gets its own Service, ${classic}`);
    }
    const named = serviceOfHost(t.host, namespace);
    if (!named) {
      throw new MeshConfigError(scope, `${field}.host`,
        `"${t.host}" is not a Kubernetes Service (a short name or <name>.<namespace>.svc.cluster.local), `
          + 'and a Gateway API backendRef names a Service',
        `route to a MeshService or a Service of the cluster, ${classic}`);
    }
    return {
      ref: { name: named.name, ...(named.namespace !== namespace && { namespace: named.namespace }), port: t.port, weight },
      namespace: named.namespace,
      owned: false,
    };
  }
  const service = t.service;
  const name = t.version === undefined ? service.name : versionService(scope, `${field}.subset`, service, t.version);
  const port = t.port ?? (service.ports.length === 1 ? service.ports[0].port : undefined);
  return {
    ref: { name, ...(service.namespace !== namespace && { namespace: service.namespace }), port, weight },
    namespace: service.namespace,
    owned: true,
  };
}
