import type { PeerAuthenticationSpec } from '../../../imports/security.istio.io';
import { MeshIndex, TypedResource, selects } from '../mesh-index';
import { Labels } from '../spec-types';

/** A PeerAuthentication of the index. */
export type PeerAuthenticationResource = TypedResource<PeerAuthenticationSpec>;

/** The mutual TLS mode pods accept, and the PeerAuthentication that decides it (none: Istio's default, PERMISSIVE). */
export interface MtlsMode {
  /** STRICT, PERMISSIVE or DISABLE. */
  readonly mode: string;
  /** The policy that sets it; undefined when no policy does. */
  readonly policy?: PeerAuthenticationResource;
}

/** The PeerAuthentications of an index by namespace: the namespace-wide one and those with a selector. */
interface PolicyTables {
  readonly namespaceWide: ReadonlyMap<string, PeerAuthenticationResource>;
  readonly withSelector: ReadonlyMap<string, readonly PeerAuthenticationResource[]>;
}

const tablesOf = new WeakMap<MeshIndex, PolicyTables>();

function tables(index: MeshIndex): PolicyTables {
  let out = tablesOf.get(index);
  if (out) return out;
  const namespaceWide = new Map<string, PeerAuthenticationResource>();
  const withSelector = new Map<string, PeerAuthenticationResource[]>();
  for (const pa of index.peerAuthentications()) {
    if (Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0) {
      withSelector.set(pa.namespace, [...withSelector.get(pa.namespace) ?? [], pa]);
    } else if (!namespaceWide.has(pa.namespace)) {
      namespaceWide.set(pa.namespace, pa);
    }
  }
  tablesOf.set(index, out = { namespaceWide, withSelector });
  return out;
}

/** The mode a PeerAuthentication sets (undefined for UNSET, which inherits). */
function modeOf(policy: PeerAuthenticationResource | undefined): string | undefined {
  const mode = policy?.spec.mtls?.mode;
  return mode === undefined || mode === 'UNSET' ? undefined : mode;
}

/**
 * The mutual TLS mode Istio applies to pods with `labels` in `namespace` (port-level settings
 * aside): the first mode set by a PeerAuthentication selecting them, the namespace-wide one, the
 * mesh-wide one (root namespace); PERMISSIVE when none sets one. `labels` undefined stands for a
 * pod no workload-level policy selects.
 */
export function mtlsModeFor(index: MeshIndex, namespace: string, labels: Labels | undefined): MtlsMode {
  const { namespaceWide, withSelector } = tables(index);
  const workloadPolicy = labels === undefined ? undefined
    : (withSelector.get(namespace) ?? []).find(pa => modeOf(pa) !== undefined && selects(pa.spec.selector?.matchLabels, labels));
  const policy = [workloadPolicy, namespaceWide.get(namespace), namespaceWide.get(index.rootNamespace)].find(p => modeOf(p) !== undefined);
  return policy ? { mode: modeOf(policy)!, policy } : { mode: 'PERMISSIVE' };
}
