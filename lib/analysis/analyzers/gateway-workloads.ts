import { MeshIndex, selects } from '../mesh-index';
import { Labels } from '../spec-types';

/**
 * The labels of the ingress gateway pod `istioctl analyze` assumes in a files-only analysis (it
 * adds an `istio: ingressgateway` Pod and Service to the root namespace, as an Istio install has).
 */
export const DEFAULT_INGRESS_LABELS: Labels = Object.freeze({ istio: 'ingressgateway' });

/** A workload selector written as Kubernetes prints it: `key=value` pairs sorted by key, joined by `,`. */
export function selectorString(selector: Labels | undefined): string {
  return Object.keys(selector ?? {}).sort().map(k => `${k}=${selector![k]}`).join(',');
}

/**
 * Whether some pod in any namespace carries every label of `selector`: a workload of the analyzed
 * set, or the default ingress gateway istioctl assumes (an empty selector selects every pod).
 */
export function selectsSomePod(index: MeshIndex, selector: Labels | undefined): boolean {
  return selects(selector, DEFAULT_INGRESS_LABELS) || index.selectedWorkloadsAnywhere(selector ?? {}).length > 0;
}
