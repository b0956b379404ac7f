import { Analyzer } from '../analyzer';
import { Resource, selects } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels, PolicySelectionSpec } from '../spec-types';

/** The label Istio puts on the pods it deploys for a Gateway API Gateway, naming the Gateway. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The Gateway API's Gateway (not Istio's). */
const KUBERNETES_GATEWAY = { group: 'gateway.networking.k8s.io', kind: 'Gateway', versions: ['v1', 'v1beta1'] };

/**
 * IST0166: an AuthorizationPolicy, RequestAuthentication, Telemetry or WasmPlugin that selects a
 * Gateway API Gateway's pods by labels: such policies must target the Gateway (`targetRefs`). The
 * Gateway's pods are those in the input carrying the gateway-name label, and the pods Istio will
 * deploy for each Gateway API Gateway of the input (labelled with its name).
 */
export const ineffectiveSelector: Analyzer = {
  name: 'ineffective-selector',
  codes: ['IST0166'],
  analyze(index, report) {
    const gatewayPods = new Map<string, { gateway: string; labels: Labels }[]>();
    const add = (namespace: string, gateway: string, labels: Labels) =>
      gatewayPods.set(namespace, [...gatewayPods.get(namespace) ?? [], { gateway, labels }]);
    for (const w of index.allWorkloads()) {
      const gateway = w.labels[GATEWAY_NAME_LABEL];
      if (gateway !== undefined) add(w.resource.namespace, gateway, w.labels);
    }
    for (const gw of index.ofKind(KUBERNETES_GATEWAY)) add(gw.namespace, gw.name, { [GATEWAY_NAME_LABEL]: gw.name });
    const policies: readonly Resource[] = [
      ...index.authorizationPolicies(), ...index.requestAuthentications(), ...index.telemetries(), ...index.wasmPlugins(),
    ];
    for (const p of policies) {
      const spec = p.spec as PolicySelectionSpec;
      if (spec.selector === undefined || spec.targetRef !== undefined || spec.targetRefs !== undefined) continue;
      const selector = spec.selector.matchLabels ?? {};
      const gateways = new Set((gatewayPods.get(p.namespace) ?? []).filter(g => selects(selector, g.labels)).map(g => g.gateway));
      for (const gateway of [...gateways].sort()) report(p, msg.ineffectiveSelector(gateway), 'spec.selector');
    }
  },
};
