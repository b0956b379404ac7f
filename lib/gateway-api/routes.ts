import { ApiObject } from 'cdk8s';
import { ResolvedBackend, resolveBackend, serviceOfHost } from './backend-ref';
import { GatewayRendering } from './gateway-listeners';
import { CLASSIC_WAY_OUT, checkHttpRoute, renderHttpRule } from './http-rules';
import { grantServiceReferences, serviceReferenceGranted } from './reference-grant';
import { GatewayApiRouteSink, RouteKind } from './routing-api';
import * as GA from '../../imports/gateway.networking.k8s.io';
import { MeshConfigError, formatProblem } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { Destination } from '../mesh/destination';
import { Gateway } from '../mesh/gateway';
import { L4Match, VirtualService } from '../mesh/virtual-service';

/** The Gateway API kind each route kind renders to. */
export const ROUTE_KINDS: Readonly<Record<RouteKind, 'HTTPRoute' | 'TCPRoute' | 'TLSRoute'>> = {
  http: 'HTTPRoute', tcp: 'TCPRoute', tls: 'TLSRoute',
};

/** A parentRef (the shape the three route kinds share). */
interface ParentRef {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly sectionName?: string;
}

/** A backend a route names, with its kind and field (checked for ReferenceGrants at synthesis). */
interface NamedBackend extends ResolvedBackend {
  readonly kind: RouteKind;
  readonly field: string;
}

/**
 * The Gateway API rendering of one VirtualService: one HTTPRoute for its HTTP routes (a rule
 * each), one TCPRoute and one TLSRoute per TCP and TLS route (their parents depend on the route's
 * ports), with `parentRefs` to its Gateways (ingress) and to the Services of its hosts (mesh,
 * GAMMA). Routes are checked as they are added; a feature without an equivalent throws the refusal.
 */
export class VirtualServiceRendering implements GatewayApiRouteSink {
  private readonly objects: ApiObject[] = [];
  private http?: ApiObject;
  private readonly backends: NamedBackend[] = [];

  constructor(private readonly vs: VirtualService, private readonly renderingOf: (gateway: Gateway) => GatewayRendering | undefined) {
    const d = vs._declaration;
    if (d.exportTo !== undefined) {
      throw new MeshConfigError(vs, 'exportTo', 'exportTo has no Gateway API equivalent (a route applies where its parents are)',
        `remove exportTo, ${CLASSIC_WAY_OUT}`);
    }
    d.gateways.forEach((g, i) => {
      if (typeof g === 'string') return;
      const rendering = renderingOf(g);
      if (rendering === undefined) {
        throw new MeshConfigError(vs, `gateways[${i}]`,
          `Gateway ${g.node.path} renders to Istio's Gateway kind, which a Gateway API route cannot attach to`,
          `render that Gateway to the Gateway API too (routingApi: RoutingApi.GATEWAY_API), ${CLASSIC_WAY_OUT}`);
      }
      rendering.attach(vs.namespace);
    });
    vs.node.addValidation({ validate: () => this.validateGrants() });
  }

  /** The first route object, once there is one. */
  public get resource(): ApiObject | undefined {
    return this.objects[0];
  }

  /** Checks the route just added, binds its destinations (version Services, ReferenceGrants) and makes its object. */
  public routeAdded(kind: RouteKind): void {
    const d = this.vs._declaration;
    const ns = this.vs.namespace;
    const i = d[kind].length - 1;
    const field = `${kind}[${i}]`;
    if (kind === 'http') {
      checkHttpRoute(this.vs, field, d.http[i]);
      const { backends } = renderHttpRule(this.vs, field, ns, d.http[i]);
      this.bind(kind, backends);
      this.http ??= this.add('HttpRoute', GA.HttpRoute, this.vs.name,
        (): GA.HttpRouteSpec => {
          const parentRefs = this.parentRefs('http');
          return {
            parentRefs,
            ...this.hostnames(parentRefs),
            rules: this.vs._declaration.http.map((r, j) => renderHttpRule(this.vs, `http[${j}]`, ns, r).rule),
          };
        }, GA.toJson_HttpRouteSpec);
      return;
    }
    const route = kind === 'tcp' ? d.tcp[i] : d.tls[i];
    const matches: readonly L4Match[] = route.match ?? [];
    matches.forEach((m, j) => {
      if (m.sourceLabels !== undefined) {
        throw new MeshConfigError(this.vs, `${field}.match[${j}].sourceLabels`,
          'a match on the source workload\'s labels has no Gateway API equivalent', `route all callers alike, ${CLASSIC_WAY_OUT}`);
      }
    });
    const backendRefs = (): { name: string; namespace?: string; port?: number; weight?: number }[] =>
      route.to.map((dest, j) => resolveBackend(this.vs, `${field}.route[${j}].destination`, ns, dest).ref);
    this.bind(kind, route.to.map((dest, j) => this.resolve(`${field}.route[${j}].destination`, dest)));
    const ports = [...new Set(matches.map(m => m.port).filter((p): p is number => p !== undefined))];
    const parentRefs = () => (ports.length === 0 ? this.parentRefs(kind) : ports.flatMap(p => this.parentRefs(kind, p)));
    const name = i === 0 ? this.vs.name : `${this.vs.name}-${i}`;
    if (kind === 'tcp') {
      this.add(`TcpRoute${i}`, GA.TcpRoute, name,
        (): GA.TcpRouteSpec => ({ parentRefs: parentRefs(), rules: [{ backendRefs: backendRefs() }] }), GA.toJson_TcpRouteSpec);
    } else {
      const sni = [...new Set(d.tls[i].match.flatMap(m => m.sniHosts))];
      this.add(`TlsRoute${i}`, GA.TlsRoute, name, (): GA.TlsRouteSpec => ({
        parentRefs: parentRefs(), hostnames: sni, rules: [{ backendRefs: backendRefs() }],
      }), GA.toJson_TlsRouteSpec);
    }
  }

  private add<S extends object>(id: string, kind: { GVK: { apiVersion: string; kind: string } }, name: string, spec: () => S,
    toJson: (s: S) => unknown): ApiObject {
    const object = libraryObject(this.vs, id, kind, { name }, spec, toJson);
    this.objects.push(object);
    return object;
  }

  private resolve(field: string, destination: Destination): ResolvedBackend & { field: string } {
    return { ...resolveBackend(this.vs, field, this.vs.namespace, destination), field };
  }

  /** Records the backends of a route, granting references to the app's own Services in other namespaces. */
  private bind(kind: RouteKind, backends: readonly (ResolvedBackend & { field: string })[]): void {
    for (const b of backends) {
      this.backends.push({ ...b, kind });
      if (b.namespace !== this.vs.namespace && b.owned) grantServiceReferences(this.vs, ROUTE_KINDS[kind], this.vs.namespace, b.namespace);
    }
  }

  /** A backend in another namespace the app does not define needs a ReferenceGrant written by its owners. */
  private validateGrants(): string[] {
    return this.backends
      .filter(b => !b.owned && b.namespace !== this.vs.namespace
        && !serviceReferenceGranted(this.vs, ROUTE_KINDS[b.kind], this.vs.namespace, b.namespace, b.ref.name))
      .map(b => formatProblem(this.vs, b.field,
        `the ${ROUTE_KINDS[b.kind]} references Service ${b.namespace}/${b.ref.name} in another namespace, `
          + 'and no ReferenceGrant there allows it (Istio refuses the backend: RefNotPermitted)',
        `add new ReferenceGrant(chart, 'grant', { namespace: '${b.namespace}', from: [{ kind: '${ROUTE_KINDS[b.kind]}', namespace: `
        + `'${this.vs.namespace}' }] }) if the app may grant it, ask that namespace's owners to create it, ${CLASSIC_WAY_OUT}`));
  }

  /**
   * The parents of a route of `kind` (on `port` for a TCP or TLS match naming one): its Gateways,
   * and its hosts' Services when mesh-bound.
   */
  private parentRefs(kind: RouteKind, port?: number): ParentRef[] {
    const d = this.vs._declaration;
    const ns = this.vs.namespace;
    const refs: ParentRef[] = [];
    for (const g of d.gateways) {
      if (g === VirtualService.MESH) continue;
      if (typeof g === 'string') {
        const slash = g.indexOf('/');
        const gatewayNamespace = g.slice(0, slash);
        refs.push(slash < 0 ? { name: g } : { name: g.slice(slash + 1), ...(gatewayNamespace !== ns && { namespace: gatewayNamespace }) });
      } else {
        refs.push(...this.renderingOf(g)!.parentRefs(ns, kind, port));
      }
    }
    if (d.gateways.length > 0 && !d.gateways.includes(VirtualService.MESH)) return refs;
    d.hosts.forEach((h, i) => {
      const service = typeof h === 'string' ? serviceOfHost(h, ns) : { name: h.name, namespace: h.namespace };
      if (service === undefined) {
        throw new MeshConfigError(this.vs, `hosts[${i}]`,
          `mesh routes for "${h}" need a Service as their parent (GAMMA), and "${h}" is not a Kubernetes Service`,
          `route a MeshService or a Service of the cluster, ${CLASSIC_WAY_OUT}`);
      }
      const ports = typeof h === 'string' ? [] : h.ports;
      const servicePort = port ?? (ports.length === 1 ? ports[0].port : undefined);
      refs.push({
        group: '',
        kind: 'Service',
        name: service.name,
        ...(service.namespace !== ns && { namespace: service.namespace }),
        ...(servicePort !== undefined && { port: servicePort }),
      });
    });
    return refs;
  }

  /** The route's hostnames: its hosts (but `*`) when it attaches to a Gateway; GAMMA routes take the Service's. */
  private hostnames(parentRefs: readonly ParentRef[]): { hostnames?: string[] } {
    if (!parentRefs.some(p => p.kind !== 'Service')) return {};
    const ns = this.vs.namespace;
    const hosts = this.vs._declaration.hosts.map(h => (typeof h === 'string' ? h : h.hostFrom(ns))).filter(h => h !== '*');
    return hosts.length > 0 ? { hostnames: [...new Set(hosts)] } : {};
  }
}
