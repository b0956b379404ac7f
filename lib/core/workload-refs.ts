import { IConstruct } from 'constructs';
import type { PortProtocol } from './port-protocol';

/**
 * What routes, rules and policies need from a workload, as small interfaces (the way cdk8s-plus
 * uses `IPodSelector`), so that lib/mesh and lib/security never import the MeshService class and
 * the layers have no import cycle. MeshService implements both.
 */

/** A Service port with its name and protocol resolved. */
export interface ResolvedServicePort {
  /** The Service port. */
  readonly port: number;
  /** The container port. */
  readonly targetPort: number;
  /** The protocol Istio classifies the port as. */
  readonly protocol: PortProtocol;
  /** The port name. */
  readonly name: string;
}

/** A workload's pods and identity: what selectors and authorization sources name. */
export interface IMeshWorkload extends IConstruct {
  /** The workload (and Service) name. */
  readonly name: string;
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** Labels every pod of the workload carries (what a policy's selector matches). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** The ServiceAccount its pods run as: their mTLS identity. */
  readonly serviceAccountName: string;
}

/** A Service with versions: what route destinations and DestinationRules need. */
export interface IRoutableService extends IMeshWorkload {
  /** The short host name, valid inside the service's namespace. */
  readonly host: string;
  /** The fully qualified host name. */
  readonly fqdn: string;
  /** The Service ports. */
  readonly ports: readonly ResolvedServicePort[];
  /** The version names, in the order they were added. */
  readonly versionNames: string[];
  /** @internal Versions routes target, in first-routed order. */
  readonly _routedVersions: string[];
  /** The host name as seen from `namespace`. */
  hostFrom(namespace: string): string;
  /** @internal Binds a route to `version` (the bind step of a destination): the service's DestinationRule defines its subset. */
  _routeTo(version: string): void;
  /** @internal Makes `rule` the DestinationRule that routed versions extend. */
  _bindDestinationRule(rule: IConstruct): void;
}
