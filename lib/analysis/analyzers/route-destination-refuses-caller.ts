import { qualifyHost } from '../../core/hosts';
import { INGRESS_GATEWAY_CALLER, callerAccess } from '../access-matrix';
import { Analyzer } from '../analyzer';
import { MeshIndex, Workload, selects, stringMap, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';
import { gatewaysOf, routeDestinations } from './routes';

/** A plain Kubernetes object as read from YAML. */
type Doc = Record<string, any>;

/** A calling workload's identity. */
interface Identity {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** How messages name an identity: `<namespace>/<ServiceAccount>`. */
const nameOf = (id: Identity) => `${id.namespace}/${id.serviceAccount}`;

/** The labels of the install's default ingress gateway, which istioctl's files-only analysis assumes. */
const DEFAULT_INGRESS: Labels = { istio: 'ingressgateway' };

/** The identities of workloads (ServiceAccounts), each once. */
function identitiesOf(workloads: readonly Workload[]): Identity[] {
  const byName = new Map<string, Identity>();
  for (const w of workloads) {
    const id = { namespace: w.resource.namespace, serviceAccount: w.podSpec.serviceAccountName ?? 'default' };
    byName.set(nameOf(id), id);
  }
  return [...byName.values()];
}

/**
 * The proxies of a classic Gateway a VirtualService names: the workloads its selector selects in
 * the input, else the install's ingress gateway for the default selector; none when unknown.
 */
function gatewayIdentities(index: MeshIndex, reference: string, namespace: string): Identity[] {
  const gateway = index.gateway(reference, namespace);
  if (!gateway) return [];
  const selector = stringMap(gateway.spec.selector);
  if (Object.keys(selector).length === 0) return [];
  const found = identitiesOf(index.selectedWorkloadsAnywhere(selector));
  if (found.length > 0) return found;
  return selects(selector, DEFAULT_INGRESS) && Object.keys(selector).length === 1 ? [INGRESS_GATEWAY_CALLER] : [];
}

/** A Service of the input a route sends to, with the pod labels of its workloads. */
interface Target {
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Labels[];
}

/** The Service of a destination host (a short name is in the VirtualService's namespace) with its workloads; undefined when unknown. */
function targetOf(index: MeshIndex, host: string | undefined, namespace: string): Target | undefined {
  if (!host) return undefined;
  const service = index.service(qualifyHost(host, namespace));
  const selector = service && stringMap(service.spec.selector);
  if (!service || !selector || Object.keys(selector).length === 0) return undefined;
  const workloads = index.selectedWorkloads(service.namespace, selector);
  return workloads.length === 0 ? undefined : { name: service.name, namespace: service.namespace, podLabels: workloads.map(w => w.labels) };
}

/**
 * CDK0012: a VirtualService sends requests to a Service whose AuthorizationPolicies refuse every
 * request from the caller, so each of them is answered 403 (RBAC: access denied):
 *
 * - bound to a classic Gateway: the caller is the gateway's proxy, the workloads its selector
 *   selects, or the install's ingress gateway (`istio-system/istio-ingressgateway-service-account`)
 *   for the default `istio: ingressgateway` when the input has none;
 * - bound to the mesh: the callers are those the ALLOW policies of the VirtualService's own host
 *   admit, when the route sends them to another Service (a split, a mirror, a rewrite of the host).
 *
 * A refusal is judged as the access matrix judges it (sidecar mode: policies with `targetRefs`
 * are left out) and only when certain: rules that depend on the request (JWTs, IPs, `when`) are
 * taken to let it through.
 */
export const routeDestinationRefusesCaller: Analyzer = {
  name: 'route-destination-refuses-caller',
  codes: ['CDK0012'],
  analyze(index, report) {
    const policies = index.authorizationPolicies();
    if (policies.length === 0) return;
    const byNamespace = new Map<string, Doc[]>();
    for (const p of policies) (byNamespace.get(p.namespace) ?? byNamespace.set(p.namespace, []).get(p.namespace)!).push(p.doc);
    const root = index.rootNamespace;
    const judge: Judge = {
      // only the policies of the target's namespace and the root namespace can apply to it
      refuses(caller, target) {
        const candidates = [...byNamespace.get(target.namespace) ?? [], ...target.namespace === root ? [] : byNamespace.get(root) ?? []];
        const cell = callerAccess(candidates, caller, target, { rootNamespace: root });
        return cell.access === 'none' && cell.conditional.length === 0;
      },
      guarded: target => [...byNamespace.get(target.namespace) ?? [], ...byNamespace.get(root) ?? []]
        .some(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW' && !p.spec?.targetRefs && !p.spec?.targetRef
          && target.podLabels.some(labels => selects(stringMap(p.spec?.selector?.matchLabels), labels))),
    };
    let workloads: Identity[] | undefined;
    for (const vs of index.virtualServices()) {
      const gateways = gatewaysOf(vs);
      const viaGateways = gateways.filter(g => g !== 'mesh').flatMap(g => gatewayIdentities(index, g, vs.namespace));
      const hosts = gateways.includes('mesh') ? strings(vs.spec.hosts).map(h => targetOf(index, h, vs.namespace)) : [];
      const hostKeys = new Set(hosts.map(t => t && `${t.namespace}/${t.name}`));
      let admitted: Identity[] | undefined;
      for (const d of routeDestinations(vs)) {
        const target = targetOf(index, d.destination.host, vs.namespace);
        if (!target) continue;
        const refused = viaGateways.filter(c => judge.refuses(c, target));
        // a mesh route sending its host's callers to another Service: those its host's policies admit
        if (hosts.length > 0 && !hostKeys.has(`${target.namespace}/${target.name}`)) {
          admitted ??= admittedCallers(hosts, workloads ??= identitiesOf(index.allWorkloads()), judge);
          refused.push(...admitted.filter(c => judge.refuses(c, target)));
        }
        if (refused.length === 0) continue;
        report(vs, msg.routeDestinationRefusesCaller(`${target.namespace}/${target.name}`, refused.map(nameOf)), `${d.field}.host`);
      }
    }
  },
};

/** How the AuthorizationPolicies of the input judge callers. */
interface Judge {
  /** Whether the policies applying to the target refuse every request of the caller. */
  refuses(caller: Identity, target: Target): boolean;
  /** Whether an ALLOW policy applies to the target (else it admits every caller). */
  guarded(target: Target): boolean;
}

/** The callers the ALLOW policies of a mesh route's hosts admit; a host without ALLOW policies admits everyone, and adds none. */
function admittedCallers(hosts: readonly (Target | undefined)[], workloads: readonly Identity[], judge: Judge): Identity[] {
  const admitted = new Map<string, Identity>();
  for (const host of hosts) {
    if (!host || !judge.guarded(host)) continue;
    for (const caller of workloads) if (!judge.refuses(caller, host)) admitted.set(nameOf(caller), caller);
  }
  return [...admitted.values()];
}
