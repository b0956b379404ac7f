import type { GatewaySpec } from '../../../imports/networking.istio.io';
import { Analyzer, Report } from '../analyzer';
import { KINDS } from '../group-kinds';
import { MeshIndex, Resource, TypedResource, list, selects, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';
import { DEFAULT_INGRESS_LABELS, selectorString, selectsSomePod } from './gateway-workloads';
import { istioStringMatch } from '../../core/string-match';

/** Reports a selector of `resource` (at `field`) that no pod of its namespace carries. */
function checkNamespaceSelector(index: MeshIndex, report: Report, resource: Resource, selector: Labels | undefined, field: string): void {
  if (selector === undefined || Object.keys(selector).length === 0) return;
  if (index.selectedWorkloads(resource.namespace, selector).length > 0) return;
  report(resource, msg.referencedResourceNotFound({ what: 'selector', selector: selectorString(selector), scope: 'namespace' }), field);
}

/** The namespaces of the pods a Gateway selects: the workloads', and the root namespace for the default ingress gateway. */
function gatewayPodNamespaces(index: MeshIndex, gateway: TypedResource<GatewaySpec>): Set<string> {
  const selector = gateway.spec.selector ?? {};
  const namespaces = new Set(index.selectedWorkloadsAnywhere(selector).map(w => w.resource.namespace));
  if (selects(selector, DEFAULT_INGRESS_LABELS)) namespaces.add(index.rootNamespace);
  return namespaces;
}

/**
 * IST0101 for references other than a VirtualService's, as istioctl: a Gateway whose selector no
 * pod in any namespace carries (the default `istio: ingressgateway` gateway is assumed); a
 * Gateway credentialName with no Secret of that name in its gateway pods' namespace (judged only
 * when the input holds Secrets); a Sidecar or Telemetry selector no pod of its namespace carries;
 * an AuthorizationPolicy source namespace (or notNamespace) entry no namespace of the input matches.
 */
export const selectorReferences: Analyzer = {
  name: 'selector-references',
  codes: ['IST0101'],
  analyze(index, report) {
    const secretsInInput = index.ofKind(KINDS.Secret).length > 0;
    for (const gateway of index.gateways()) {
      if (!selectsSomePod(index, gateway.spec.selector)) {
        const selector = selectorString(gateway.spec.selector);
        report(gateway, msg.referencedResourceNotFound({ what: 'selector', selector, scope: 'anywhere' }), 'spec.selector');
        continue;
      }
      if (!secretsInInput) continue;
      const namespaces = [...gatewayPodNamespaces(index, gateway)].sort();
      list(gateway.spec.servers).forEach((server, i) => {
        const credentialName = server.tls?.credentialName;
        if (!credentialName || credentialName.includes('://')) return;
        if (namespaces.some(ns => index.find(KINDS.Secret, ns, credentialName))) return;
        report(gateway, msg.referencedResourceNotFound({ what: 'credentialName', credentialName, namespaces }),
          `spec.servers[${i}].tls.credentialName`);
      });
    }
    for (const sidecar of index.sidecars()) {
      checkNamespaceSelector(index, report, sidecar, sidecar.spec.workloadSelector?.labels, 'spec.workloadSelector.labels');
    }
    for (const telemetry of index.telemetries()) {
      checkNamespaceSelector(index, report, telemetry, telemetry.spec.selector?.matchLabels, 'spec.selector.matchLabels');
    }
    const namespaces = [...index.namespaces, index.rootNamespace];
    for (const policy of index.authorizationPolicies()) {
      list(policy.spec.rules).forEach((rule, i) => list(rule.from).forEach((from, j) => {
        for (const key of ['namespaces', 'notNamespaces'] as const) {
          strings(from.source?.[key]).forEach((namespace, k) => {
            if (namespaces.some(ns => istioStringMatch(namespace, ns))) return;
            const field = `spec.rules[${i}].from[${j}].source.${key}[${k}]`;
            report(policy, msg.referencedResourceNotFound({ what: 'namespace', namespace }), field);
          });
        }
      }));
    }
  },
};
