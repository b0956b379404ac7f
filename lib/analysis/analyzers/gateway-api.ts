import type { GatewaySpecListeners } from '../../../imports/gateway.networking.k8s.io';
import { KINDS } from '../group-kinds';
import { Doc, GatewayApiReference, MeshIndex, labelSelectorMatches } from '../mesh-index';

/** The Gateway API's group: the default group of a parentRef, and the group of every route kind. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** The label the API server sets on every Namespace to its name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The route kinds a listener admits when its `allowedRoutes.kinds` is empty, by protocol, as Istio
 * derives them; a listener of another protocol (HBONE, a custom one) is not judged by kind.
 */
const ROUTE_KINDS_BY_PROTOCOL: ReadonlyMap<string, readonly string[]> = new Map([
  ['HTTP', ['HTTPRoute', 'GRPCRoute']],
  ['HTTPS', ['HTTPRoute', 'GRPCRoute']],
  ['TLS', ['TLSRoute', 'TCPRoute']],
  ['TCP', ['TCPRoute']],
]);

/** The namespace and name of the Gateway a parentRef names (group and kind default to the Gateway API's Gateway), if it names one. */
export function gatewayParent(ref: GatewayApiReference | undefined, namespace: string): { namespace: string; name: string } | undefined {
  if (!ref || typeof ref.name !== 'string' || ref.name === '') return undefined;
  if ((ref.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') return undefined;
  return { namespace: ref.namespace || namespace, name: ref.name };
}

/**
 * Whether a Gateway's `allowedRoutes.namespaces` (or `allowedListeners.namespaces`) admits objects
 * of `namespace`: `from` is `All`, `Same` (the Gateway's namespace), `Selector` (the namespace's
 * labels, with the name label the API server adds) or `None`, `defaultFrom` when unset. Undefined
 * when a selector does not match what is known of a namespace the manifests do not declare.
 */
export function namespaceAdmitted(
  index: MeshIndex, rule: { readonly from?: string; readonly selector?: Doc } | undefined, defaultFrom: 'Same' | 'None',
  gatewayNamespace: string, namespace: string,
): boolean | undefined {
  switch (rule?.from ?? defaultFrom) {
    case 'All': return true;
    case 'Same': return namespace === gatewayNamespace;
    case 'Selector': {
      if (!rule?.selector) return false;
      const declared = index.find(KINDS.Namespace, '', namespace);
      if (labelSelectorMatches(rule.selector, { ...declared?.labels, [NAMESPACE_NAME_LABEL]: namespace })) return true;
      return declared ? false : undefined;
    }
    default: return false;
  }
}

/** Whether a listener admits routes of `kind`: those its `allowedRoutes.kinds` lists, or by default those of its protocol. */
export function listenerAdmitsKind(listener: GatewaySpecListeners, kind: string): boolean {
  const kinds = listener.allowedRoutes?.kinds ?? [];
  if (kinds.length > 0) return kinds.some(k => (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP && k.kind === kind);
  const defaults = ROUTE_KINDS_BY_PROTOCOL.get(listener.protocol); // a Map: a protocol named `constructor` is no key
  return defaults === undefined || defaults.includes(kind);
}
