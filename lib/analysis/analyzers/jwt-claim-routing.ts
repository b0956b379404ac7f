import { Analyzer } from '../analyzer';
import { Resource, list, selects, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/** The header prefix with which a route matches a JWT claim. */
const JWT_CLAIM = '@request.auth.claims';

/**
 * IST0149: a VirtualService bound to a gateway matches a JWT claim (`@request.auth.claims.…`
 * header), but no RequestAuthentication (of the root namespace or the pod's) covers a pod of that
 * gateway, so the claims are never available. One message per gateway pod.
 */
export const jwtClaimRouting: Analyzer = {
  name: 'jwt-claim-routing',
  codes: ['IST0149'],
  analyze(index, report) {
    const authByNamespace = new Map<string, Resource[]>();
    for (const ra of index.requestAuthentications()) authByNamespace.set(ra.namespace, [...authByNamespace.get(ra.namespace) ?? [], ra]);
    const covered = (namespace: string, labels: Readonly<Record<string, string>>) =>
      [...authByNamespace.get(index.rootNamespace) ?? [], ...namespace === index.rootNamespace ? [] : authByNamespace.get(namespace) ?? []]
        .some(ra => selects((ra.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels, labels));
    for (const vs of index.virtualServices()) {
      const key = claimKey(vs.spec.http);
      if (key === undefined) continue;
      for (const ref of strings(vs.spec.gateways)) {
        const gw = ref === 'mesh' ? undefined : index.gateway(ref, vs.namespace);
        if (gw === undefined) continue;
        for (const pod of index.selectedWorkloadsAnywhere(gw.spec.selector ?? {})) {
          if (covered(pod.resource.namespace, pod.labels)) continue;
          report(vs, msg.jwtClaimBasedRoutingWithoutRequestAuthN(key, `${gw.namespace}/${gw.name}`, pod.resource.name), 'spec.http');
        }
      }
    }
  },
};

/** The first header (or withoutHeaders) key of any match that names a JWT claim. */
function claimKey(http: readonly { match?: readonly { headers?: object; withoutHeaders?: object }[] }[] | undefined): string | undefined {
  for (const rule of list(http)) {
    for (const m of list(rule.match)) {
      const key = [...Object.keys(m.headers ?? {}), ...Object.keys(m.withoutHeaders ?? {})].find(k => k.startsWith(JWT_CLAIM));
      if (key !== undefined) return key;
    }
  }
  return undefined;
}
