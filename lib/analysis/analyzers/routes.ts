import type { VirtualServiceSpec } from '../../../imports/networking.istio.io';
import { TypedResource, list, strings } from '../mesh-index';

/** A VirtualService of the index. */
export type VirtualServiceResource = TypedResource<VirtualServiceSpec>;

/** The destination of a route or mirror (HTTP, TCP and TLS destinations share this shape). */
export interface DestinationSpec {
  /** The host. */
  readonly host?: string;
  /** The subset. */
  readonly subset?: string;
  /** The port. */
  readonly port?: { readonly number?: number };
}

/** One destination of a VirtualService, with its field path and the route it belongs to. */
export interface RouteDestination {
  /** The `destination` object (host, subset, port). */
  readonly destination: DestinationSpec;
  /** Field path of the destination, e.g. `spec.http[0].route[1].destination`. */
  readonly field: string;
  /** How many destinations its route has (1 for a mirror). */
  readonly routeSize: number;
  /** Its weight, when set. */
  readonly weight?: number;
}

/** The parts of an HTTP, TCP or TLS rule that hold destinations. */
interface RuleWithRoutes {
  readonly route?: readonly { readonly destination?: DestinationSpec; readonly weight?: number }[];
  readonly mirror?: DestinationSpec;
  readonly mirrors?: readonly { readonly destination?: DestinationSpec }[];
}

const destinationsOf = new WeakMap<VirtualServiceResource, RouteDestination[]>();

/** Every destination of a VirtualService: HTTP, TCP and TLS routes, and HTTP `mirror` and `mirrors` (computed once per resource). */
export function routeDestinations(vs: VirtualServiceResource): RouteDestination[] {
  let out = destinationsOf.get(vs);
  if (!out) destinationsOf.set(vs, out = collectDestinations(vs));
  return out;
}

type Section = 'http' | 'tcp' | 'tls';

/** The field paths of the destinations of the first rules' routes, by section, rule and route: made once, not for each VirtualService. */
const ROUTE_FIELDS: Record<Section, string[][]> = { http: [], tcp: [], tls: [] };
/** Rules and routes past this many get their field paths made each time. */
const SHARED_FIELDS = 64;

function routeField(section: Section, i: number, j: number): string {
  if (i >= SHARED_FIELDS || j >= SHARED_FIELDS) return `spec.${section}[${i}].route[${j}].destination`;
  const fields = ROUTE_FIELDS[section][i] ??= [];
  return fields[j] ??= `spec.${section}[${i}].route[${j}].destination`;
}

function collectDestinations(vs: VirtualServiceResource): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    list<RuleWithRoutes>(vs.spec[section]).forEach((rule, i) => {
      const route = list(rule.route);
      route.forEach((r, j) => r.destination && out.push({
        destination: r.destination, field: routeField(section, i, j), routeSize: route.length, weight: r.weight,
      }));
      if (rule.mirror) out.push({ destination: rule.mirror, field: `spec.${section}[${i}].mirror`, routeSize: 1 });
      list(rule.mirrors).forEach((m, j) => m.destination && out.push({
        destination: m.destination, field: `spec.${section}[${i}].mirrors[${j}].destination`, routeSize: 1,
      }));
    });
  }
  return out;
}

/** The gateways a VirtualService is bound to; `mesh` when none are listed. */
export function gatewaysOf(vs: VirtualServiceResource): string[] {
  const gateways = strings(vs.spec.gateways);
  return gateways.length === 0 ? ['mesh'] : gateways;
}

/**
 * The namespaces whose clients a VirtualService routes, from which its destinations must be
 * visible: those of its `exportTo` (`.` and `*` standing for its own), or its own when unset.
 */
export function clientNamespaces(vs: VirtualServiceResource): string[] {
  const exportTo = strings(vs.spec.exportTo);
  return exportTo.length === 0 ? [vs.namespace] : [...new Set(exportTo.map(e => (e === '.' || e === '*' ? vs.namespace : e)))];
}
