import { qualifyHost } from '../../core/hosts';
import { INGRESS_GATEWAY_CALLER, callerAccess, policiesApplyingTo } from '../access-matrix';
import { Analyzer } from '../analyzer';
import { MeshIndex, Workload, list, selects, stringMap, strings } from '../mesh-index';
import { workloadIsAmbient } from '../mesh-membership';
import { msg } from '../message-constructors';
import { Labels } from '../spec-types';
import { VirtualServiceResource, gatewaysOf } from './routes';
import { istioStringMatch } from '../../core/string-match';

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
  // in ambient mode a waypoint may judge the requests, by policies this analysis leaves out
  if (workloads.length === 0 || workloads.some(w => workloadIsAmbient(index, w))) return undefined;
  return { name: service.name, namespace: service.namespace, podLabels: workloads.map(w => w.labels) };
}

/**
 * CDK0012: a VirtualService sends requests to a Service whose AuthorizationPolicies refuse every
 * request from the caller, so each of them is answered 403 (RBAC: access denied):
 *
 * - bound to a classic Gateway: the caller is the gateway's proxy, the workloads its selector
 *   selects, or the install's ingress gateway (`istio-system/istio-ingressgateway-service-account`)
 *   for the default `istio: ingressgateway` when the input has none;
 * - bound to the mesh: the callers are those the ALLOW policies of the VirtualService's own host
 *   admit by name (principal, namespace or ServiceAccount), when the route sends them to another
 *   Service (a split, a rewrite of the host); a rule matching source labels is not judged.
 *
 * A rule is judged for the gateways its matches name (all of the VirtualService's when a match
 * names none); mirrors are not judged, as a refused mirror never reaches the client. A refusal is
 * judged as the access matrix judges it (sidecar mode: policies with `targetRefs` are left out)
 * and only when certain: rules that depend on the request (JWTs, IPs, `when`) are taken to let
 * it through.
 */
export const routeDestinationRefusesCaller: Analyzer = {
  name: 'route-destination-refuses-caller',
  codes: ['CDK0012'],
  analyze(index, report) {
    if (index.authorizationPolicies().length === 0) return;
    const judge = new PolicyJudge(index);
    const gatewayCallers = new Map<string, Identity[]>();
    for (const vs of index.virtualServices()) {
      const gateways = gatewaysOf(vs);
      const hosts = gateways.includes('mesh') ? strings(vs.spec.hosts).map(h => targetOf(index, h, vs.namespace)) : [];
      const hostKeys = new Set(hosts.map(t => t && keyOf(t)));
      let admitted: Identity[] | undefined;
      for (const rule of routeRules(vs)) {
        const bound = rule.gateways ?? gateways;
        const viaGateways = bound.filter(g => g !== 'mesh').flatMap(g => {
          const key = `${vs.namespace}\0${g}`;
          return gatewayCallers.get(key) ?? gatewayCallers.set(key, gatewayIdentities(index, g, vs.namespace)).get(key)!;
        });
        const onMesh = bound.includes('mesh') && !rule.bySource && hosts.length > 0;
        for (const d of rule.destinations) {
          const target = targetOf(index, d.host, vs.namespace);
          if (!target) continue;
          const refused = viaGateways.filter(c => judge.refuses(c, target));
          // a mesh route sending its host's callers to another Service: those its host's policies admit
          if (onMesh && !hostKeys.has(keyOf(target))) {
            admitted ??= hosts.flatMap(h => (h ? judge.admittedByName(h) : [])).filter(c => visibleFrom(vs, c.namespace));
            refused.push(...admitted.filter(c => judge.refuses(c, target)));
          }
          if (refused.length === 0) continue;
          const names = [...new Set(refused.map(nameOf))];
          report(vs, msg.routeDestinationRefusesCaller(keyOf(target), names), `${d.field}.host`);
        }
      }
    }
  },
};

/** Whether a VirtualService applies to the sidecars of a namespace (its `exportTo`; every namespace without one). */
function visibleFrom(vs: VirtualServiceResource, namespace: string): boolean {
  const exportTo = strings(vs.spec.exportTo);
  return exportTo.length === 0 || exportTo.includes('*') || exportTo.includes(namespace)
    || (exportTo.includes('.') && namespace === vs.namespace);
}

/** `<namespace>/<name>` of a target Service. */
const keyOf = (t: Target) => `${t.namespace}/${t.name}`;

/**
 * One route rule of a VirtualService: the gateways its matches name (undefined: all of the
 * VirtualService's), whether every match is on the source (labels or namespace), its route destinations.
 */
interface RouteRule {
  readonly gateways?: readonly string[];
  readonly bySource: boolean;
  readonly destinations: readonly { readonly host?: string; readonly field: string }[];
}

/** The HTTP, TCP and TLS rules of a VirtualService with their route destinations (mirrors left out). */
function routeRules(vs: VirtualServiceResource): RouteRule[] {
  return (['http', 'tcp', 'tls'] as const).flatMap(section => list<RawRule>(vs.spec[section]).map((rule, i) => {
    const matches = list(rule.match);
    const named = matches.length > 0 && matches.every(m => strings(m.gateways).length > 0);
    return {
      gateways: named ? [...new Set(matches.flatMap(m => strings(m.gateways)))] : undefined,
      bySource: matches.length > 0 && matches.every(m => m.sourceLabels !== undefined || m.sourceNamespace !== undefined),
      destinations: list(rule.route)
        .map((r, j) => ({ host: r.destination?.host, field: `spec.${section}[${i}].route[${j}].destination` })),
    };
  }));
}

/** The parts of a route rule read here. */
interface RawRule {
  readonly match?: readonly RawMatch[];
  readonly route?: readonly { readonly destination?: { readonly host?: string } }[];
}

/** The parts of a rule's match read here. */
interface RawMatch {
  readonly gateways?: unknown;
  readonly sourceLabels?: unknown;
  readonly sourceNamespace?: unknown;
}

/** The AuthorizationPolicies of the input, judging callers of Services; what applies to a Service is found once. */
class PolicyJudge {
  private readonly byNamespace = new Map<string, Doc[]>();
  private readonly applicable = new Map<string, Doc[]>();
  private identities?: Identity[];
  private domains?: string[];

  constructor(private readonly index: MeshIndex) {
    for (const p of index.authorizationPolicies()) {
      if (p.spec.targetRefs || p.spec.targetRef) continue;
      (this.byNamespace.get(p.namespace) ?? this.byNamespace.set(p.namespace, []).get(p.namespace)!).push(p.doc);
    }
  }

  /**
   * Whether the policies applying to the target refuse every request of the caller, whichever of
   * the trust domains the input's principals name is the mesh's.
   */
  public refuses(caller: Identity, target: Target): boolean {
    const policies = this.policiesOf(target);
    return this.trustDomains().every(trustDomain => {
      const cell = callerAccess(policies, caller, trustDomain);
      return cell.access === 'none' && cell.conditional.length === 0;
    });
  }

  /** The trust domains of the principals the input's policies name, and `cluster.local`. */
  private trustDomains(): string[] {
    if (this.domains === undefined) {
      const found = new Set(['cluster.local']);
      for (const p of this.index.authorizationPolicies()) {
        for (const rule of list<Doc>(p.spec.rules as Doc[] | undefined)) {
          for (const from of list<Doc>(rule.from)) {
            for (const principal of strings(from.source?.principals)) {
              const domain = /^([^*/]+)\/ns\//.exec(principal)?.[1];
              if (domain) found.add(domain);
            }
          }
        }
      }
      this.domains = [...found];
    }
    return this.domains;
  }

  /**
   * The callers the target's ALLOW rules name (by principal, namespace or ServiceAccount) and let
   * in; none when no ALLOW policy applies to it (it admits everyone) or a rule admits any caller.
   */
  public admittedByName(target: Target): Identity[] {
    const allows = this.policiesOf(target).filter(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
    const sources = allows.flatMap(p => list<Doc>(p.spec?.rules)).flatMap(r => list<Doc>(r.from))
      .map(f => f.source ?? {});
    const named = new Map<string, Identity>();
    const take = (ids: readonly Identity[]) => ids.forEach(id => named.set(nameOf(id), id));
    for (const source of sources) {
      for (const p of strings(source.principals)) {
        const exact = /^[^*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(p);
        take(exact ? [{ namespace: exact[1], serviceAccount: exact[2] }] : this.all().filter(id => principalMatches(p, id)));
      }
      for (const ns of strings(source.namespaces)) {
        take(ns.includes('*') ? this.all().filter(id => istioStringMatch(ns, id.namespace)) : identitiesOf(this.index.workloads(ns)));
      }
      for (const sa of strings(source.serviceAccounts)) take(this.all().filter(id => istioStringMatch(sa, nameOf(id))));
    }
    return [...named.values()].filter(id => !this.refuses(id, target));
  }

  /** The policies that apply to the target: of its namespace and the root namespace, selecting one of its workloads. */
  private policiesOf(target: Target): Doc[] {
    const key = keyOf(target);
    let out = this.applicable.get(key);
    if (out === undefined) {
      const root = this.index.rootNamespace;
      const own = this.byNamespace.get(target.namespace) ?? [];
      const candidates = target.namespace === root ? own : [...own, ...this.byNamespace.get(root) ?? []];
      out = policiesApplyingTo(candidates, target, root);
      this.applicable.set(key, out);
    }
    return out;
  }

  /** Every workload identity of the input, for wildcard sources. */
  private all(): Identity[] {
    return this.identities ??= identitiesOf(this.index.allWorkloads());
  }
}

/** Whether a principal pattern with a wildcard matches an identity, in the trust domain the pattern names (any, for `*`). */
function principalMatches(pattern: string, id: Identity): boolean {
  const domain = /^([^*/]+)\/ns\//.exec(pattern)?.[1] ?? 'cluster.local';
  return istioStringMatch(pattern, `${domain}/ns/${id.namespace}/sa/${id.serviceAccount}`);
}
