import { Analyzer } from '../analyzer';
import { GATEWAY_API_GATEWAY, GATEWAY_NAME_OVERRIDE, gatewayDeployment } from '../gateway-deployment';
import { KINDS } from '../group-kinds';
import { Resource } from '../mesh-index';
import { msg } from '../message-constructors';
import { childPath } from '../schema/field-path';

/** Whether the Gateway asks for manual deployment (a Hostname address: Istio then deploys nothing). */
function isManuallyDeployed(spec: unknown): boolean {
  const addresses = (spec as { addresses?: unknown } | undefined)?.addresses;
  return Array.isArray(addresses) && addresses.some(a => (a as { type?: unknown } | null)?.type === 'Hostname');
}

/**
 * CDK0006: a Gateway API Gateway (class istio or istio-waypoint) whose proxy Istio deploys under a
 * name that a Service or Deployment of the manifests already has in its namespace (`<name>-istio`,
 * a waypoint's own name, or its `gateway.istio.io/name-override`): Istio's gateway controller
 * applies its own Service and Deployment over them, so the app's Service would select the
 * gateway's pods, or its Deployment be replaced.
 */
export const gatewayDeploymentNames: Analyzer = {
  name: 'gateway-deployment-names',
  codes: ['CDK0006'],
  analyze(index, report) {
    const taken = new Map<string, Resource[]>();
    for (const r of [...index.ofKind(KINDS.Service), ...index.ofKind(KINDS.Deployment)]) {
      const key = `${r.namespace}/${r.name}`;
      taken.set(key, [...taken.get(key) ?? [], r]);
    }
    for (const gateway of index.ofKind(GATEWAY_API_GATEWAY)) {
      const deployed = gatewayDeployment(gateway.doc);
      if (deployed === undefined || isManuallyDeployed(gateway.doc.spec)) continue;
      const clashes = taken.get(`${gateway.namespace}/${deployed.name}`) ?? [];
      if (clashes.length > 0) {
        const field = deployed.nameOverridden ? childPath('metadata.annotations', GATEWAY_NAME_OVERRIDE) : 'metadata.name';
        report(gateway, msg.gatewayDeploymentNameTaken(deployed.name, clashes.map(r => r.kind).sort()), field);
      }
    }
  },
};
