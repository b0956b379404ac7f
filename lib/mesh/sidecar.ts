import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyCaller, calledHosts, meshView } from './egress-derivation';
import * as L1 from '../../imports/networking.istio.io';
import { checkBooleans, checkList, checkProps } from '../core/check';
import { isDnsLabel } from '../core/dns';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkNamespaceName } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { trustDomainOf } from '../core/source-identities';
import type { IMeshWorkload } from '../core/workload-refs';
import { matchLabelsOf } from '../security/workload-selector';

/** Istio's default root namespace: its policies without a selector apply to the whole mesh. */
const ROOT_NAMESPACE = 'istio-system';

/** Props of {@link Sidecar}. */
export interface SidecarProps {
  /**
   * The resource name.
   * @default 'default' for the namespace's Sidecar, the workload's name for a workload's
   */
  readonly name?: string;
  /**
   * The workload whose sidecars this configures.
   * @default every workload of the chart's namespace
   */
  readonly workload?: IMeshWorkload;
  /**
   * The outbound traffic policy: REGISTRY_ONLY (true) refuses traffic to hosts the sidecars do
   * not know, so egress is explicit; ALLOW_ANY (false) passes it through, Istio's default.
   * @default true
   */
  readonly registryOnly?: boolean;
  /**
   * Derive the egress hosts from what the app declares: the services the workloads may call (those
   * no ALLOW policy applies to, which accept every caller, and those with an ALLOW policy, `allowFrom`
   * included, whose rule admits them: by principal or namespace, with Istio's wildcards, or any
   * caller; policies of the root namespace `istio-system` apply to every namespace), the
   * destinations of the mesh routes of those hosts, and the external hosts of the egress gateway
   * routes that list them as callers.
   * @default true
   */
  readonly deriveEgressHosts?: boolean;
  /**
   * More egress hosts, as `<namespace>/<host>` (`*` and `.` allowed as the namespace).
   * @default none
   */
  readonly egressHosts?: string[];
  /**
   * Add `istio-system/*`, where the control plane and the telemetry addons run (as Istio's default Sidecar does).
   * @default true
   */
  readonly includeIstioSystem?: boolean;
  /**
   * The mesh's root namespace, whose AuthorizationPolicies without a selector apply to every
   * workload (meshConfig `rootNamespace`).
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
}

/**
 * An Istio Sidecar for a namespace or one workload: the hosts its sidecars get configuration
 * for, derived from the calls and routes the app declares, and a REGISTRY_ONLY outbound policy,
 * so each proxy holds only what its workload uses (less memory and push work in a large mesh)
 * and egress is explicit.
 */
export class Sidecar extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The mesh's root namespace, whose policies without a selector apply to every workload. */
  private readonly rootNamespace: string;
  /** The L1 object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, private readonly props: SidecarProps = {}) {
    super(scope, id);
    checkProps(this, props);
    registerLibraryConstruct(this);
    checkBooleans(this, '', props, ['registryOnly', 'deriveEgressHosts', 'includeIstioSystem']);
    this.namespace = namespaceOf(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? props.workload?.name ?? 'default');
    this.rootNamespace = checkNamespaceName(this, 'rootNamespace', props.rootNamespace ?? ROOT_NAMESPACE);
    (checkList(this, 'egressHosts', props.egressHosts) ?? []).forEach((h, i) => {
      const [namespace, host, ...rest] = typeof h === 'string' ? h.split('/') : [];
      if (host === undefined || rest.length > 0 || namespace === '' || host === '') {
        throw new MeshConfigError(this, `egressHosts[${i}]`, `"${h}" is not <namespace>/<host>`,
          'write the namespace and the host, e.g. "istio-system/*" or "./reviews.shop.svc.cluster.local"');
      }
      if (!['.', '*', '~'].includes(namespace) && !isDnsLabel(namespace)) {
        throw new MeshConfigError(this, `egressHosts[${i}]`, `"${namespace}" is not a namespace name, ".", "*" or "~", so the host `
          + 'matches nothing', 'write the namespace in lower case, e.g. "shop/api.example.com"');
      }
    });
    const workloadSelector = props.workload && { labels: matchLabelsOf(this, 'workload', props.workload, this.namespace) };
    // the hosts are derived only when neither istio-system nor a given host already makes them non-empty
    const hasHosts = () => (props.includeIstioSystem ?? true) || (props.egressHosts?.length ?? 0) > 0 || this.egressHosts.length > 0;
    this.node.addValidation({
      validate: () => (hasHosts() ? [] : [new MeshConfigError(this, 'egressHosts',
        'no egress host: the workloads would reach nothing', 'add egressHosts, or keep includeIstioSystem').message]),
    });
    this.resource = libraryObject(this, 'Resource', L1.Sidecar, { name: this.name }, (): L1.SidecarSpec => ({
      ...(workloadSelector && { workloadSelector }),
      egress: [{ hosts: this.egressHosts }],
      outboundTrafficPolicy: {
        mode: (props.registryOnly ?? true) ? L1.SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY
          : L1.SidecarSpecOutboundTrafficPolicyMode.ALLOW_UNDERSCORE_ANY,
      },
    }), L1.toJson_SidecarSpec);
  }

  /** The egress hosts, sorted: derived, added, and `istio-system/*`. */
  public get egressHosts(): string[] {
    const hosts = new Set(this.props.egressHosts ?? []);
    if (this.props.includeIstioSystem ?? true) hosts.add('istio-system/*');
    if (this.props.deriveEgressHosts ?? true) for (const h of this.derivedHosts()) hosts.add(h);
    return [...hosts].sort();
  }

  /** The hosts the workloads call, as `<namespace>/<host>`, from the app's policies, routes and egress routes. */
  private derivedHosts(): Set<string> {
    const view = meshView(App.of(this));
    const workloads: IMeshWorkload[] = this.props.workload ? [this.props.workload]
      : view.meshServices.filter(s => s.namespace === this.namespace);
    // Istio reads `cluster.local` in a policy's principals as the mesh's own trust domain
    const domains = [...new Set([trustDomainOf(this), 'cluster.local'])];
    const callers = workloads.map((w): PolicyCaller => ({
      principals: domains.map(domain => `${domain}/ns/${w.namespace}/sa/${w.serviceAccountName}`),
      namespace: w.namespace,
      serviceAccounts: [`${w.namespace}/${w.serviceAccountName}`],
    }));
    // a namespace's Sidecar without MeshServices still covers its workloads: rules on the namespace, or on any caller
    if (callers.length === 0 && !this.props.workload) callers.push({ principals: [], namespace: this.namespace, serviceAccounts: [] });
    return calledHosts(view, workloads, callers, this.rootNamespace);
  }
}
