import { GroupKind } from './group-kinds';

/** The Gateway API Gateway, for which Istio's gateway controller deploys a proxy. */
export const GATEWAY_API_GATEWAY: GroupKind = { group: 'gateway.networking.k8s.io', kind: 'Gateway', versions: ['v1', 'v1beta1'] };

/** The annotation of a Gateway naming the Deployment and Service Istio deploys for it. */
export const GATEWAY_NAME_OVERRIDE = 'gateway.istio.io/name-override';

/** The annotation of a Gateway naming the ServiceAccount the proxy Istio deploys for it runs as. */
export const GATEWAY_SERVICE_ACCOUNT = 'gateway.istio.io/service-account';

/** What Istio's gateway controller deploys for a Gateway API Gateway, in the Gateway's namespace. */
export interface GatewayDeployment {
  /** The name of the Deployment and Service. */
  readonly name: string;
  /** Whether {@link name} comes from the `gateway.istio.io/name-override` annotation (else from the Gateway's name). */
  readonly nameOverridden: boolean;
  /** The ServiceAccount the proxy runs as: its mesh identity. */
  readonly serviceAccount: string;
}

/** The fields of a Gateway document that decide what Istio deploys for it. */
interface GatewayDocument {
  readonly metadata?: { readonly name?: unknown; readonly annotations?: unknown };
  readonly spec?: unknown;
}

/**
 * What Istio deploys for a Gateway API Gateway: for class `istio`, `<name>-istio`; for a waypoint
 * (class `istio-waypoint`), the Gateway's name; either replaced by the Gateway's
 * `gateway.istio.io/name-override` (the Deployment and Service) and `gateway.istio.io/service-account`
 * (the ServiceAccount) annotations. Undefined for other classes, which Istio does not deploy.
 */
export function gatewayDeployment(gateway: GatewayDocument): GatewayDeployment | undefined {
  const name = gateway.metadata?.name;
  const className = (gateway.spec as { gatewayClassName?: unknown } | undefined)?.gatewayClassName;
  if (typeof name !== 'string') return undefined;
  const byDefault = className === 'istio-waypoint' ? name : className === 'istio' ? `${name}-istio` : undefined;
  if (byDefault === undefined) return undefined;
  const annotations = (gateway.metadata?.annotations ?? {}) as Record<string, unknown>;
  const given = (key: string) => (typeof annotations[key] === 'string' && annotations[key] !== '' ? annotations[key] as string : undefined);
  const override = given(GATEWAY_NAME_OVERRIDE);
  const serviceAccount = given(GATEWAY_SERVICE_ACCOUNT) ?? byDefault;
  return { name: override ?? byDefault, nameOverridden: override !== undefined, serviceAccount };
}
