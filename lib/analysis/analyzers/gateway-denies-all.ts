import type { AuthorizationPolicySpec } from '../../../imports/security.istio.io';
import { Analyzer } from '../analyzer';
import { GATEWAY_API_GATEWAY, gatewayDeployment } from '../gateway-deployment';
import { Resource, TypedResource, list, selects, stringMap } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';

type Policy = TypedResource<AuthorizationPolicySpec>;

/** Label prefixes of Istio and the Gateway API: Istio may give the proxy's pods such a label that this analysis does not know of. */
const ISTIO_LABEL_PREFIXES = ['istio.io/', 'service.istio.io/', 'sidecar.istio.io/', 'topology.istio.io/', 'gateway.networking.k8s.io/'];

/**
 * The labels this analysis knows the gateway's pods have: the Gateway's name under the Gateway
 * API's and Istio's keys, and the labels of the Gateway and of its `spec.infrastructure` (a
 * superset of what is copied, so that a policy is rather taken to apply than not).
 */
function podLabels(gateway: Resource): Labels {
  const infrastructure = (gateway.doc.spec?.infrastructure as { labels?: Labels } | undefined)?.labels;
  return {
    ...stringMap(gateway.doc.metadata?.labels),
    ...stringMap(infrastructure),
    'gateway.networking.k8s.io/gateway-name': gateway.name,
    'istio.io/gateway-name': gateway.name,
  };
}

/** Whether a policy selects the gateway's pods: `unknown` when it selects by an Istio label not in `labels`. */
function selectsGateway(policy: Policy, labels: Labels): 'yes' | 'no' | 'unknown' {
  const selector = stringMap(policy.spec.selector?.matchLabels);
  if (selects(selector, labels)) return 'yes';
  const unknownIstioLabel = (key: string) => !(key in labels) && ISTIO_LABEL_PREFIXES.some(prefix => key.startsWith(prefix));
  return Object.keys(selector).some(unknownIstioLabel) ? 'unknown' : 'no';
}

/** Whether a policy is attached to the Gateway itself by `targetRef(s)`. */
function targetsGateway(policy: Policy, gateway: string): boolean {
  return [...list(policy.spec.targetRefs), ...(policy.spec.targetRef ? [policy.spec.targetRef] : [])]
    .some(ref => ref.kind === 'Gateway' && ref.group === GATEWAY_API_GATEWAY.group && ref.name === gateway);
}

/**
 * CDK0010: a Gateway API Gateway of class istio at whose proxy the AuthorizationPolicies refuse
 * every request. Istio deploys that proxy in the Gateway's namespace and enforces there the
 * policies of the namespace and of the root namespace that are namespace-wide or select its pods
 * (`gateway.networking.k8s.io/gateway-name`), and those attached to the Gateway by `targetRefs`.
 * When ALLOW policies apply and none has a rule (the `allow-nothing` of a deny-by-default
 * namespace), or a DENY rule matches every request, every request to the gateway is answered
 * `403 RBAC: access denied`, before any route. A policy selecting pods by an Istio label this
 * analysis does not know them to have might apply too, so a namespace with one is not judged.
 * Waypoints enforce no namespace-wide policy.
 */
export const gatewayDeniesAll: Analyzer = {
  name: 'gateway-denies-all',
  codes: ['CDK0010'],
  analyze(index, report) {
    const policies = index.authorizationPolicies();
    if (policies.length === 0) return;
    for (const gateway of index.ofKind(GATEWAY_API_GATEWAY)) {
      if (gateway.doc.spec?.gatewayClassName !== 'istio') continue;
      const deployed = gatewayDeployment(gateway.doc);
      if (deployed === undefined) continue;
      const labels = podLabels(gateway);
      const candidates = policies.filter(p => p.namespace === gateway.namespace || p.namespace === index.rootNamespace);
      const applying: Policy[] = [];
      let undecided = false;
      for (const p of candidates) {
        const attached = p.spec.targetRef !== undefined || list(p.spec.targetRefs).length > 0;
        if (attached) {
          if (p.namespace === gateway.namespace && targetsGateway(p, gateway.name)) applying.push(p);
          continue;
        }
        const selected = selectsGateway(p, labels);
        if (selected === 'yes') applying.push(p);
        undecided ||= selected === 'unknown';
      }
      const action = (p: Policy) => p.spec.action ?? 'ALLOW';
      const allows = applying.filter(p => action(p) === 'ALLOW');
      const denyingAll = applying.filter(p => action(p) === 'DENY'
        && list(p.spec.rules).some(rule => !rule.from && !rule.to && !rule.when));
      const allowNothing = !undecided && allows.length > 0 && allows.every(p => list(p.spec.rules).length === 0);
      if (denyingAll.length === 0 && !allowNothing) continue;
      const names = (denyingAll.length > 0 ? denyingAll : allows).map(p => `${p.namespace}/${p.name}`);
      const why = denyingAll.length > 0 ? 'deny' : 'allow-nothing';
      report(gateway, msg.gatewayDeniesAllRequests(gateway.name, deployed.name, why, names), 'metadata.name');
    }
  },
};
