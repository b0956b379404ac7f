import { App, ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type * as L1 from '../../imports/security.istio.io';
import { waypointOf } from '../core/ambient';
import { MeshConfigError, formatProblem } from '../core/errors';
import { namespaceOf } from '../core/namespace';
import { checkIdentityNamespace, checkSameApp, checkServiceAccountName, trustDomainOf } from '../core/source-identities';
import type { IMeshWorkload } from '../core/workload-refs';

export { TRUST_DOMAIN_CONTEXT, trustDomainOf } from '../core/source-identities';

type Identity =
  | { readonly kind: 'service'; readonly service: IMeshWorkload }
  | {
    readonly kind: 'account';
    readonly namespace: string;
    readonly name: string;
    readonly external: boolean;
    /** Istio's classic ingress gateway by the default names (Caller.ingressGateway() without arguments). */
    readonly classicIngress?: boolean;
  }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'waypoint'; readonly service: IMeshWorkload }
  | { readonly kind: 'any' };

/**
 * Who may call a workload, as an authorization policy source: a MeshService's ServiceAccount, a
 * ServiceAccount by name, the Istio ingress gateway, every workload of a namespace, or any caller.
 * Identities are mTLS peer identities, so they only hold under STRICT mutual TLS.
 */
export class Caller {
  /** The workloads of a MeshService, by its ServiceAccount. */
  public static service(service: IMeshWorkload): Caller {
    return new Caller({ kind: 'service', service });
  }

  /** Workloads running as a ServiceAccount; it must be defined in the same app (checked at synthesis). */
  public static serviceAccount(namespace: string, name: string): Caller {
    return new Caller({ kind: 'account', namespace, name, external: false });
  }

  /**
   * The Istio ingress gateway installed with Istio (not part of the app).
   * @param namespace where it runs (default `istio-system`)
   * @param serviceAccount its ServiceAccount (default `istio-ingressgateway-service-account`)
   */
  public static ingressGateway(namespace?: string, serviceAccount?: string): Caller {
    return new Caller({
      kind: 'account',
      namespace: namespace ?? 'istio-system',
      name: serviceAccount ?? 'istio-ingressgateway-service-account',
      external: true,
      classicIngress: namespace === undefined && serviceAccount === undefined,
    });
  }

  /** Every workload in a namespace. */
  public static namespace(namespace: string): Caller {
    return new Caller({ kind: 'namespace', namespace });
  }

  /** Any caller, authenticated or not (a rule with no `from`). */
  public static any(): Caller {
    return new Caller({ kind: 'any' });
  }

  /**
   * @internal The waypoint that serves `service`, resolved when the policy renders (a service's
   * own waypoint replaces its namespace's, whichever is declared first).
   */
  public static _waypointOf(service: IMeshWorkload): Caller {
    return new Caller({ kind: 'waypoint', service });
  }

  private constructor(private readonly identity: Identity) {}

  /** @internal The rule `source` for this caller, or undefined for any caller. */
  public _toSource(scope: IConstruct): L1.AuthorizationPolicySpecRulesFromSource | undefined {
    const id = this.identity;
    const principal = (ns: string, sa: string) => `${trustDomainOf(scope)}/ns/${ns}/sa/${sa}`;
    switch (id.kind) {
      case 'service': return { principals: [principal(id.service.namespace, id.service.serviceAccountName)] };
      case 'account': return { principals: [principal(id.namespace, id.name)] };
      case 'namespace': return { namespaces: [id.namespace] };
      case 'waypoint': {
        const waypoint = waypointOf(id.service);
        if (!waypoint) {
          throw new MeshConfigError(scope, 'rules', `no waypoint serves ${id.service.node.path}`, 'enroll the service in a waypoint');
        }
        return { principals: [principal(waypoint.namespace, waypoint.serviceAccountName)] };
      }
      case 'any': return undefined;
    }
  }

  /**
   * @internal Refuses a caller that can match nobody, when a rule naming it is added: a namespace
   * or ServiceAccount name Kubernetes would not accept, a MeshService of another cdk8s App (its
   * workloads are not deployed with the policy), or an invalid trust domain in the context.
   */
  public _check(scope: IConstruct, field: string): void {
    const id = this.identity;
    if (id.kind === 'any' || id.kind === 'waypoint') return;
    trustDomainOf(scope);
    if (id.kind === 'namespace') {
      checkIdentityNamespace(scope, `${field}.namespaces[0]`, id.namespace);
    } else if (id.kind === 'account') {
      checkIdentityNamespace(scope, `${field}.principals[0]`, id.namespace);
      checkServiceAccountName(scope, `${field}.principals[0]`, id.name);
    } else {
      checkSameApp(scope, `${field}.principals[0]`, id.service);
    }
  }

  /**
   * @internal Problems with this caller: a ServiceAccount that the app does not define; Istio's
   * classic ingress gateway in an app whose ingress is a Gateway API Gateway only.
   */
  public _validate(scope: IConstruct, field: string): string[] {
    const id = this.identity;
    if (id.kind !== 'account') return [];
    if (id.classicIngress) return classicIngressProblems(scope, field);
    if (id.external) return [];
    const exists = App.of(scope).node.findAll().some(c => c instanceof ApiObject && c.kind === 'ServiceAccount'
      && c.metadata.name === id.name && (c.metadata.namespace ?? namespaceOf(c)) === id.namespace);
    return exists ? [] : [formatProblem(scope, field,
      `ServiceAccount ${id.namespace}/${id.name} is not defined in this app, so the allowed principal matches no workload`,
      'allow a MeshService (Caller.service) or a ServiceAccount the app creates; use Caller.ingressGateway() for Istio\'s gateway')];
  }
}

/**
 * Caller.ingressGateway() names Istio's classic ingress gateway; in an app whose Gateways are all
 * Gateway API Gateways, the ingress is the gateway Istio deploys for each (`<name>-istio` in its
 * namespace), so the policy would let through no request that comes in.
 */
function classicIngressProblems(scope: IConstruct, field: string): string[] {
  const gateways = App.of(scope).node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Gateway');
  const deployed = gateways.filter(g => g.apiGroup === 'gateway.networking.k8s.io' && g.toJson().spec?.gatewayClassName === 'istio');
  if (deployed.length === 0 || gateways.some(g => g.apiGroup === 'networking.istio.io')) return [];
  const first = deployed[0];
  const namespace = first.metadata.namespace ?? namespaceOf(first);
  return [formatProblem(scope, field, 'Caller.ingressGateway() is Istio\'s classic ingress gateway (istio-system/'
    + `istio-ingressgateway-service-account), but this app's ingress is the Gateway API Gateway ${namespace}/${first.name}, which Istio `
    + 'deploys as a gateway of its own, so the policy would let through none of the requests that come in',
  `name the deployed gateway: Caller.ingressGateway('${namespace}', '${first.name}-istio'), i.e. deployedGateway(gateway); `
    + 'or pass the classic gateway\'s names explicitly if it is installed too')];
}
