import { GroupKind } from './group-kinds';

/** The Gateway API Gateway, for which Istio's gateway controller deploys a proxy. */
export const GATEWAY_API_GATEWAY: GroupKind = { group: 'gateway.networking.k8s.io', kind: 'Gateway', versions: ['v1', 'v1beta1'] };

/**
 * The name of the Deployment, Service and ServiceAccount Istio deploys for a Gateway API Gateway
 * in its namespace: the Gateway's name for a waypoint (class `istio-waypoint`), `<name>-istio` for
 * class `istio`; undefined for other classes, which Istio does not deploy.
 */
export function deployedGatewayName(name: string, gatewayClassName: unknown): string | undefined {
  if (gatewayClassName === 'istio-waypoint') return name;
  return gatewayClassName === 'istio' ? `${name}-istio` : undefined;
}
