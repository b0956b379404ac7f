import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as GA from '../../imports/gateway.networking.k8s.io';
import { checkList, checkProps } from '../core/check';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsLabel, checkDnsSubdomain } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';

/** The Gateway API kinds that reference other namespaces' objects, spelt as the API spells them. */
const GATEWAY_API_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'Gateway', 'ListenerSet'];

/** The Gateway API group, which the route kinds belong to. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** Objects in another namespace that may reference the grant's targets. */
export interface ReferenceGrantFrom {
  /** The kind, e.g. `HTTPRoute`. */
  readonly kind: string;
  /** Their namespace. */
  readonly namespace: string;
  /**
   * Their API group.
   * @default 'gateway.networking.k8s.io'
   */
  readonly group?: string;
}

/** Objects in the grant's namespace that may be referenced. */
export interface ReferenceGrantTo {
  /**
   * The kind.
   * @default 'Service'
   */
  readonly kind?: string;
  /**
   * Their API group.
   * @default '' (the core group of Service and Secret)
   */
  readonly group?: string;
  /**
   * The one object of that kind that may be referenced.
   * @default every object of the kind
   */
  readonly name?: string;
}

/** Props of {@link ReferenceGrant}. */
export interface ReferenceGrantProps {
  /**
   * The resource name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * The namespace of the objects that may be referenced, where the grant lives.
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /** Who may reference them. */
  readonly from: ReferenceGrantFrom[];
  /**
   * What may be referenced.
   * @default [{ kind: 'Service' }], every Service of the namespace
   */
  readonly to?: ReferenceGrantTo[];
}

const REFERENCE_GRANT = Symbol.for('cdk8s-istio.ReferenceGrant');

/**
 * A Gateway API ReferenceGrant: lets routes (or Gateways) in other namespaces reference objects of
 * this namespace. Routes rendered to the Gateway API create the grants their MeshService backends
 * in other namespaces need; write one for a Service the app does not define.
 */
export class ReferenceGrant extends Construct {
  /** Whether `x` is a ReferenceGrant (works across copies of this library). */
  public static isReferenceGrant(x: unknown): x is ReferenceGrant {
    return typeof x === 'object' && x !== null && REFERENCE_GRANT in x;
  }

  /** The resource name. */
  public readonly name: string;
  /** The namespace of the objects it lets others reference. */
  public readonly namespace: string;
  /** The L1 object. */
  public readonly resource: ApiObject;

  private readonly from: GA.ReferenceGrantSpecFrom[] = [];
  private readonly to: GA.ReferenceGrantSpecTo[] = [];

  constructor(scope: Construct, id: string, props: ReferenceGrantProps) {
    super(scope, id);
    checkProps(this, props, 'who may reference what, e.g. { from: [{ kind: \'HTTPRoute\', namespace: \'shop\' }], to: [...] }');
    registerLibraryConstruct(this);
    Object.defineProperty(this, REFERENCE_GRANT, { value: true });
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    this.namespace = props.namespace === undefined ? namespaceOf(this) : checkDnsLabel(this, 'namespace', props.namespace);
    checkList(this, 'from', props.from);
    checkList(this, 'to', props.to);
    if (props.from === undefined || props.from.length === 0) {
      throw new MeshConfigError(this, 'from', 'a ReferenceGrant needs at least one source',
        "name who may reference, e.g. { kind: 'HTTPRoute', namespace: 'shop' }");
    }
    props.from.forEach(f => this.addFrom(f));
    for (const [i, t] of (props.to ?? [{}]).entries()) {
      if (t.name !== undefined) checkDnsSubdomain(this, `to[${i}].name`, t.name);
      this.to.push({ kind: t.kind ?? 'Service', group: t.group ?? '', ...(t.name !== undefined && { name: t.name }) });
    }
    this.resource = libraryObject(this, 'Resource', GA.ReferenceGrant, { name: this.name, namespace: this.namespace },
      (): GA.ReferenceGrantSpec => ({ from: this.from, to: this.to }), GA.toJson_ReferenceGrantSpec);
  }

  /** Adds a source (once: an equal one already listed is not repeated). */
  public addFrom(from: ReferenceGrantFrom): void {
    checkDnsLabel(this, `from[${this.from.length}].namespace`, from.namespace);
    const group = from.group ?? GATEWAY_API_GROUP;
    const kind = String(from.kind).toLowerCase();
    const meant = group === GATEWAY_API_GROUP ? GATEWAY_API_KINDS.find(k => k.toLowerCase() === kind) : undefined;
    if (meant !== undefined && meant !== from.kind) {
      throw new MeshConfigError(this, `from[${this.from.length}].kind`,
        `"${from.kind}" is not a Gateway API kind (kinds are case-sensitive), so the grant would let nothing reference`, `write ${meant}`);
    }
    const entry = { group, kind: from.kind, namespace: from.namespace };
    if (!this.from.some(f => f.group === entry.group && f.kind === entry.kind && f.namespace === entry.namespace)) this.from.push(entry);
  }

  /** Whether the grant lets a `fromKind` (Gateway API group) in `fromNamespace` reference the Service `serviceName` of its namespace. */
  public allowsService(fromKind: string, fromNamespace: string, serviceName: string): boolean {
    return this.from.some(f => f.group === GATEWAY_API_GROUP && f.kind === fromKind && f.namespace === fromNamespace)
      && this.to.some(t => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === serviceName));
  }
}

/**
 * Lets routes of `kind` in `fromNamespace` reference the Services of `toNamespace`: the grant
 * `<fromNamespace>-routes` in `toNamespace`, one per chart, created in the chart of `route`.
 */
export function grantServiceReferences(route: IConstruct, kind: string, fromNamespace: string, toNamespace: string): void {
  const chart = Chart.of(route);
  const id = `ReferenceGrant-${toNamespace}`;
  const existing = chart.node.tryFindChild(id);
  if (ReferenceGrant.isReferenceGrant(existing)) {
    existing.addFrom({ kind, namespace: fromNamespace });
    return;
  }
  new ReferenceGrant(chart, id, { name: `${fromNamespace}-routes`, namespace: toNamespace, from: [{ kind, namespace: fromNamespace }] });
}

/** Whether some ReferenceGrant of the app lets a `kind` in `fromNamespace` reference the Service `name` in `toNamespace`. */
export function serviceReferenceGranted(
  scope: IConstruct, kind: string, fromNamespace: string, toNamespace: string, name: string,
): boolean {
  return App.of(scope).node.findAll()
    .some(c => ReferenceGrant.isReferenceGrant(c) && c.namespace === toNamespace && c.allowsService(kind, fromNamespace, name));
}
