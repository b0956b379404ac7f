import { Doc, Resource } from '../mesh-index';

/** One destination of a VirtualService, with its field path and the route it belongs to. */
export interface RouteDestination {
  /** The `destination` object (host, subset, port). */
  readonly destination: Doc;
  /** Field path of the destination, e.g. `spec.http[0].route[1].destination`. */
  readonly field: string;
  /** How many destinations its route has (1 for a mirror). */
  readonly routeSize: number;
  /** Its weight, when set. */
  readonly weight?: number;
}

const destinationsOf = new WeakMap<Resource, RouteDestination[]>();

/** Every destination of a VirtualService: HTTP, TCP and TLS routes, and HTTP mirrors (computed once per resource). */
export function routeDestinations(vs: Resource): RouteDestination[] {
  let out = destinationsOf.get(vs);
  if (!out) destinationsOf.set(vs, out = collectDestinations(vs));
  return out;
}

function collectDestinations(vs: Resource): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    (vs.doc.spec?.[section] ?? []).forEach((rule: Doc, i: number) => {
      const route: Doc[] = rule.route ?? [];
      route.forEach((r, j) => r.destination && out.push({ destination: r.destination, field: `spec.${section}[${i}].route[${j}].destination`, routeSize: route.length, weight: r.weight }));
      if (rule.mirror) out.push({ destination: rule.mirror, field: `spec.${section}[${i}].mirror`, routeSize: 1 });
    });
  }
  return out;
}

/** The gateways a VirtualService is bound to; `mesh` when none are listed. */
export function gatewaysOf(vs: Resource): string[] {
  const gateways: string[] = vs.doc.spec?.gateways ?? [];
  return gateways.length === 0 ? ['mesh'] : gateways;
}
