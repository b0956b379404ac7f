import type { ServiceEntrySpec } from '../../../imports/networking.istio.io';
import { qualifyHost } from '../../core/hosts';
import { Analyzer } from '../analyzer';
import { MeshIndex, TypedResource, list, selects, strings, visibleFrom } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';
import { routeDestinations } from './routes';

/**
 * The label sets of the endpoints behind a host as seen from `namespace`: the pods its Kubernetes
 * Service selects, or the endpoints (and selected pods) of its ServiceEntries; undefined when the
 * host is neither, or its endpoints cannot be known from the manifests (a Service without selector).
 */
function endpointLabels(
  index: MeshIndex, entries: ReadonlyMap<string, TypedResource<ServiceEntrySpec>[]>, fqdn: string, namespace: string,
): Labels[] | undefined {
  const service = index.service(fqdn);
  if (service) {
    const selector = service.spec.selector;
    if (!selector || Object.keys(selector).length === 0) return undefined;
    return index.selectedWorkloads(service.namespace, selector).map(w => w.labels);
  }
  const visible = (entries.get(fqdn) ?? []).filter(se => visibleFrom(se, namespace));
  if (visible.length === 0) return undefined;
  return visible.flatMap(se => [
    ...list(se.spec.endpoints).map(e => e.labels ?? {}),
    ...(se.spec.workloadSelector?.labels ? index.selectedWorkloads(se.namespace, se.spec.workloadSelector.labels).map(w => w.labels) : []),
  ]);
}

/**
 * KIA0203 and KIA0209, for a DestinationRule whose host is a Service or ServiceEntry host:
 * KIA0203, a subset whose labels select none of the host's endpoints (the pods of its Service, the
 * endpoints of its ServiceEntries) while a VirtualService routes to it, so that route has no
 * endpoint (Kiali lowers an unreferenced one to Unknown, which is not reported here); KIA0209, a
 * subset without labels (which selects every endpoint) when no other subset of the rule selects
 * any endpoint by its labels (Kiali lowers it to Unknown otherwise, not reported here).
 */
export const subsetLabels: Analyzer = {
  name: 'subset-labels',
  codes: ['KIA0203', 'KIA0209'],
  analyze(index, report) {
    const entries = new Map<string, TypedResource<ServiceEntrySpec>[]>();
    for (const se of index.serviceEntries()) {
      for (const host of strings(se.spec.hosts)) entries.set(host, [...entries.get(host) ?? [], se]);
    }
    const routed = new Set<string>();
    for (const vs of index.virtualServices()) {
      for (const { destination: d } of routeDestinations(vs)) {
        if (typeof d.host === 'string' && d.subset) routed.add(`${qualifyHost(d.host, vs.namespace)}|${d.subset}`);
      }
    }
    for (const dr of index.destinationRules()) {
      const host: unknown = dr.spec.host;
      const subsets = list(dr.spec.subsets);
      if (typeof host !== 'string' || host.includes('*') || subsets.length === 0) continue;
      const fqdn = qualifyHost(host, dr.namespace);
      const endpoints = endpointLabels(index, entries, fqdn, dr.namespace);
      if (!endpoints) continue;
      const labelled = (labels: Labels | undefined): labels is Labels => Object.keys(labels ?? {}).length > 0;
      const selectsSome = (labels: Labels) => endpoints.some(e => selects(labels, e));
      subsets.forEach((subset, i) => {
        if (!labelled(subset.labels) || selectsSome(subset.labels) || !routed.has(`${fqdn}|${subset.name}`)) return;
        report(dr, msg.subsetLabelsNotFound(subset.name, subset.labels, host), `spec.subsets[${i}]`);
      });
      if (subsets.some(s => labelled(s.labels) && selectsSome(s.labels))) continue;
      subsets.forEach((subset, i) => {
        if (!labelled(subset.labels)) report(dr, msg.subsetWithoutLabels(subset.name), `spec.subsets[${i}]`);
      });
    }
  },
};
