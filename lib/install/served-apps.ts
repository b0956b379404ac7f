import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { ResolvedGateway } from './gateway-component';
import { formatProblem } from '../core/errors';

/** The construct a user wrote for an object: the L2 construct whose `Resource` it is, or the object itself. */
function ownerOf(object: ApiObject): IConstruct {
  return object.node.id === 'Resource' && object.node.scope ? object.node.scope : object;
}

function describe(labels: Readonly<Record<string, string>>): string {
  return `{ ${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

/**
 * What an install cannot serve in the apps it was given: an Istio Gateway whose selector no
 * installed gateway's labels carry, an ambient namespace or a waypoint without the ambient
 * profile, a NodePort Service taking a node port of an installed gateway. One problem per finding,
 * naming the app's construct.
 */
export function servedProblems(install: IConstruct, served: readonly IConstruct[], gateways: readonly ResolvedGateway[],
  ambient: boolean): string[] {
  const problems: string[] = [];
  const installed = gateways.length === 0 ? 'no gateway' : gateways.map(g => `${g.name} ${describe(g.labels)}`).join(', ');
  const nodePorts = new Map(gateways.flatMap(g => g.ports.filter(p => p.nodePort !== undefined).map(p => [p.nodePort!,
    `${g.name} port ${p.name}`] as const)));
  const objects = served.flatMap(target => target.node.findAll()).filter((c): c is ApiObject => c instanceof ApiObject);
  for (const object of objects) {
    const group = object.apiVersion.split('/')[0];
    if (object.kind === 'Gateway' && group === 'networking.istio.io') {
      const selector: Record<string, string> = object.toJson().spec?.selector ?? {};
      const match = gateways.some(g => Object.entries(selector).every(([k, v]) => g.labels[k] === v));
      if (!match) {
        problems.push(formatProblem(ownerOf(object), 'selector',
          `${describe(selector)} selects no gateway that ${install.node.path} installs (it installs ${installed})`,
          'enable a gateway with these labels in the install\'s ingressGateways or egressGateways, or select an installed gateway'));
      }
    } else if (object.kind === 'Gateway' && group === 'gateway.networking.k8s.io' && !ambient
      && object.toJson().spec?.gatewayClassName === 'istio-waypoint') {
      problems.push(formatProblem(ownerOf(object), 'gatewayClassName',
        `a waypoint needs ambient mode, which ${install.node.path} does not install`,
        'install with profile: InstallProfile.AMBIENT'));
    } else if (object.kind === 'Namespace' && !ambient && object.metadata.getLabel('istio.io/dataplane-mode') === 'ambient') {
      problems.push(formatProblem(ownerOf(object), 'enrollment',
        `the namespace is enrolled in ambient mode, which ${install.node.path} does not install (no ztunnel)`,
        'install with profile: InstallProfile.AMBIENT, or enroll the namespace with sidecars'));
    } else if (object.kind === 'Service' && nodePorts.size > 0) {
      for (const port of object.toJson().spec?.ports ?? []) {
        const taken = port.nodePort === undefined ? undefined : nodePorts.get(port.nodePort);
        if (taken) {
          problems.push(formatProblem(ownerOf(object), 'nodePort', `node port ${port.nodePort} is also ${taken} of ${install.node.path}`,
            'give the Service another node port, or leave the node port to the gateway'));
        }
      }
    }
  }
  return problems;
}
