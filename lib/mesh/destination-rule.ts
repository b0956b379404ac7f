import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { TrafficPolicy, renderSubsetTrafficPolicy, renderTrafficPolicy } from './traffic-policy';
import * as L1 from '../../imports/networking.istio.io';
import { checkProps, describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkExportTo, checkLabelValue, checkSubsetName } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import type { IRoutableService } from '../core/workload-refs';

/** A named group of a host's endpoints, selected by pod labels. */
export class Subset {
  /** The subset `<version>` selecting pods labelled `version: <version>` (the MeshService convention). */
  public static version(version: string, trafficPolicy?: TrafficPolicy): Subset {
    return new Subset(version, { version }, trafficPolicy);
  }

  /** A subset selecting pods by arbitrary labels. */
  public static labels(name: string, labels: Record<string, string>, trafficPolicy?: TrafficPolicy): Subset {
    return new Subset(name, labels, trafficPolicy);
  }

  private constructor(
    /** The subset name routes refer to. */
    public readonly name: string,
    /** The pod labels the subset selects. */
    public readonly labels: Record<string, string>,
    /** Traffic policy overriding the rule's for this subset. */
    public readonly trafficPolicy?: TrafficPolicy,
  ) {}
}

/** Props of {@link DestinationRule}. */
export interface DestinationRuleProps {
  /**
   * The host the rule applies to: a MeshService (which then extends this rule with the subsets of
   * the versions routes target) or a host name.
   */
  readonly host: IRoutableService | string;
  /**
   * The resource name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Subsets, in order.
   * @default none (a MeshService host gets one per routed version)
   */
  readonly subsets?: Subset[];
  /**
   * Traffic policy for the whole host.
   * @default none
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Namespaces the rule is visible to (`.` for its own, `*` for all).
   * @default Istio's default (all namespaces)
   */
  readonly exportTo?: string[];
}

const DESTINATION_RULE = Symbol.for('cdk8s-istio.DestinationRule');

/**
 * An Istio DestinationRule: subsets and traffic policy (load balancing, connection pool, outlier
 * detection, client TLS, per-port settings) for one host.
 */
export class DestinationRule extends Construct {
  /** Whether `x` is a DestinationRule (works across copies of this library). */
  public static isDestinationRule(x: unknown): x is DestinationRule {
    return typeof x === 'object' && x !== null && DESTINATION_RULE in x;
  }

  /** The resource name. */
  public readonly name: string;
  /** The MeshService this rule is for, when its host is one. */
  public readonly service?: IRoutableService;
  /** The L1 object. */
  public readonly resource: ApiObject;

  private readonly subsets: Subset[] = [];
  private readonly host: string;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id);
    checkProps(this, props, 'its host, e.g. { host: reviews }');
    registerLibraryConstruct(this);
    Object.defineProperty(this, DESTINATION_RULE, { value: true });
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    if (typeof props.host === 'string') {
      if (props.host.length === 0) throw new MeshConfigError(this, 'host', 'the host is empty', 'name the service or external host');
      this.host = props.host;
    } else if (typeof (props.host as Partial<IRoutableService> | undefined)?._bindDestinationRule !== 'function') {
      throw new MeshConfigError(this, 'host', `must be a host name or a MeshService, not ${describeGiven(props.host)}`,
        'give the MeshService itself, or its host name as a string, e.g. host: "reviews"');
    } else {
      this.service = props.host;
      this.host = props.host.host;
      props.host._bindDestinationRule(this);
    }
    (props.exportTo ?? []).forEach((e, i) => checkExportTo(this, `exportTo[${i}]`, e));
    for (const subset of props.subsets ?? []) this.addSubset(subset);
    const trafficPolicy = props.trafficPolicy && renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    this.resource = libraryObject(this, 'Resource', L1.DestinationRule, { name: this.name }, (): L1.DestinationRuleSpec => {
      const subsets = this.renderSubsets();
      return {
        host: this.hostFrom(this.namespace),
        ...(trafficPolicy && Object.keys(trafficPolicy).length > 0 && { trafficPolicy }),
        ...(subsets.length > 0 && { subsets }),
        ...(props.exportTo && { exportTo: props.exportTo }),
      };
    }, L1.toJson_DestinationRuleSpec);
  }

  /** The namespace the rule lives in (the chart's, or `default`). */
  public get namespace(): string {
    return namespaceOf(this);
  }

  /** The host name as written in this rule's own namespace. */
  public get hostName(): string {
    return this.host;
  }

  /** The host as seen from `namespace` (a MeshService's FQDN outside its namespace). */
  public hostFrom(namespace: string): string {
    return this.service ? this.service.hostFrom(namespace) : this.host;
  }

  /** Names of every subset the rule defines (explicit and routed versions). */
  public get subsetNames(): string[] {
    return this.allSubsets().map(s => s.name);
  }

  /** Adds a subset. */
  public addSubset(subset: Subset): void {
    const field = typeof subset.name === 'string' ? `subsets.${subset.name}` : `subsets[${this.subsets.length}]`;
    checkSubsetName(this, field, subset.name);
    if (this.subsets.some(s => s.name === subset.name)) {
      throw new MeshConfigError(this, field, 'the subset is defined twice', 'give every subset its own name');
    }
    if (Object.keys(subset.labels).length === 0) {
      throw new MeshConfigError(this, `${field}.labels`, 'a subset needs at least one label to select pods',
        'use Subset.version() or pass labels');
    }
    for (const [key, value] of Object.entries(subset.labels)) checkLabelValue(this, `${field}.labels.${key}`, value);
    if (subset.trafficPolicy) renderSubsetTrafficPolicy(this, `${field}.trafficPolicy`, subset.trafficPolicy); // fail here, not at synth
    this.subsets.push(subset);
  }

  private allSubsets(): Subset[] {
    // Versions routes target, in the service's version order, unless already explicit.
    const routed = this.service?._routedVersions ?? [];
    const implied = (this.service?.versionNames ?? [])
      .filter(v => routed.includes(v) && !this.subsets.some(s => s.name === v))
      .map(v => Subset.version(v));
    return [...this.subsets, ...implied];
  }

  private renderSubsets(): L1.DestinationRuleSpecSubsets[] {
    return this.allSubsets().map((s, i) => ({
      name: s.name,
      labels: s.labels,
      ...(s.trafficPolicy && { trafficPolicy: renderSubsetTrafficPolicy(this, `subsets[${i}].trafficPolicy`, s.trafficPolicy) }),
    }));
  }
}
