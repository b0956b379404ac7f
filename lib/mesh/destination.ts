import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DestinationRule } from './destination-rule';
import { HeaderRules } from './header-rules';
import * as L1 from '../../imports/networking.istio.io';
import { formatProblem } from '../core/errors';
import { qualifyHost } from '../core/hosts';
import { namespaceOf } from '../core/namespace';
import type { IRoutableService } from '../core/workload-refs';

/** Options of {@link Destination.toService}. */
export interface ServiceDestinationOptions {
  /**
   * The version (DestinationRule subset) to send traffic to.
   * @default every version (no subset)
   */
  readonly version?: string;
  /**
   * The Service port; required when the service has more than one port (IST0112).
   * @default the service's only port, left implicit
   */
  readonly port?: number;
}

/** Options of {@link Destination.toHost}. */
export interface HostDestinationOptions {
  /**
   * The subset; some DestinationRule in the app must define it for this host.
   * @default no subset
   */
  readonly subset?: string;
  /**
   * The port on the host.
   * @default none (the only port of the host)
   */
  readonly port?: number;
}

/** Options of {@link Destination.toSubset}. */
export interface SubsetDestinationOptions {
  /**
   * The port on the host.
   * @default none (the only port of the host)
   */
  readonly port?: number;
}

/** What a destination sends traffic to (read by the Gateway API rendering). */
export type DestinationTarget =
  | { readonly kind: 'service'; readonly service: IRoutableService; readonly version?: string; readonly port?: number }
  | { readonly kind: 'host'; readonly host: string; readonly subset?: string; readonly port?: number }
  | { readonly kind: 'rule'; readonly rule: DestinationRule; readonly subset: string; readonly port?: number };

/**
 * Where a route sends traffic: a MeshService (optionally one version and port), a DestinationRule
 * subset, or any host (an external ServiceEntry host, a service outside this app). Immutable;
 * `withWeight()` returns a weighted copy for traffic splits, `withHeaders()` a copy that changes
 * the headers of the requests sent to it and of its responses.
 */
export class Destination {
  /**
   * A MeshService, optionally one of its versions. A value without side effects: once a route
   * using it is added, the service's DestinationRule defines the version's subset; a version or
   * port the service does not have fails synthesis.
   */
  public static toService(service: IRoutableService, options: ServiceDestinationOptions = {}): Destination {
    return new Destination({ kind: 'service', service, version: options.version, port: options.port });
  }

  /** A subset defined by an explicit DestinationRule; a subset the rule lacks fails synthesis. */
  public static toSubset(rule: DestinationRule, subset: string, options: SubsetDestinationOptions = {}): Destination {
    return new Destination({ kind: 'rule', rule, subset, port: options.port });
  }

  /**
   * Any host by name, e.g. an external host declared by a ServiceEntry. A subset must be defined
   * by some DestinationRule in the app for the same host, or synthesis fails.
   */
  public static toHost(host: string, options: HostDestinationOptions = {}): Destination {
    return new Destination({ kind: 'host', host, subset: options.subset, port: options.port });
  }

  private constructor(
    private readonly target: DestinationTarget,
    /** The relative weight in a split, when set. */
    public readonly weight?: number,
    /** The header changes for this destination only, when set. */
    public readonly headers?: HeaderRules,
  ) {}

  /** @internal What the destination sends traffic to. */
  public get _target(): DestinationTarget {
    return this.target;
  }

  /** A copy of this destination with a relative weight (a non-negative integer) in a split. */
  public withWeight(weight: number): Destination {
    return new Destination(this.target, weight, this.headers);
  }

  /**
   * A copy of this destination that changes headers of the requests routed to it and of its
   * responses, on top of the route's `headers` (HTTP routes only; a TCP or TLS route, or a
   * mirror, with such a destination fails). Its requests may set `host` to send this destination
   * another authority.
   */
  public withHeaders(headers: HeaderRules): Destination {
    return new Destination(this.target, this.weight, headers);
  }

  /**
   * @internal The bind step, when a route using this destination is added: a version of a
   * MeshService gets its subset in the service's DestinationRule.
   */
  public _bind(): void {
    if (this.target.kind === 'service' && this.target.version !== undefined) this.target.service._routeTo(this.target.version);
  }

  /**
   * @internal Problems with this destination as used by `scope` at `field`, each naming the
   * construct, the field and the fix.
   */
  public _validate(scope: IConstruct, field: string): string[] {
    const t = this.target;
    const problems: string[] = [];
    const bad = (f: string, problem: string, fix: string) => problems.push(formatProblem(scope, `${field}.${f}`, problem, fix));
    if (t.kind === 'service') {
      const versions = t.service.versionNames;
      if (t.version !== undefined && !versions.includes(t.version)) {
        bad('subset', `"${t.version}" is not a version of MeshService ${t.service.node.path} (it has ${versions.join(', ')})`,
          `route to one of ${versions.join(', ')}, or add the version to the service's versions`);
      }
      const ports = t.service.ports.map(p => p.port);
      if (t.port !== undefined && !ports.includes(t.port)) {
        bad('port.number', `MeshService ${t.service.node.path} has no port ${t.port} (it has ${ports.join(', ')})`,
          `use one of ${ports.join(', ')}, or add the port to the service`);
      }
      if (t.port === undefined && ports.length > 1) {
        bad('port.number',
          `MeshService ${t.service.node.path} has several ports (${ports.join(', ')}) and the destination names none (IST0112)`,
          `pass one of them, e.g. service.version('${t.version ?? versions[0] ?? 'v1'}', ${ports[0]}) `
          + `or Destination.toService(service, { port: ${ports[0]} })`);
      }
    } else if (t.kind === 'rule') {
      if (!t.rule.subsetNames.includes(t.subset)) {
        bad('subset',
          `DestinationRule ${t.rule.node.path} defines no subset "${t.subset}" (it has ${t.rule.subsetNames.join(', ') || 'none'})`,
          `add Subset.version('${t.subset}') to the rule's subsets or route to an existing subset`);
      }
    } else if (t.subset !== undefined) {
      const host = qualifyHost(t.host, namespaceOf(scope));
      const rules = App.of(scope).node.findAll()
        .filter(DestinationRule.isDestinationRule)
        .filter(r => qualifyHost(r.hostName, r.namespace) === host);
      if (!rules.some(r => r.subsetNames.includes(t.subset!))) {
        bad('subset',
          `no DestinationRule for host "${t.host}" defines subset "${t.subset}"`
            + (rules.length ? '' : ' (no DestinationRule has that host)'),
          `add a DestinationRule for ${t.host} with that subset, or route via MeshService.version() which creates it`);
      }
    }
    return problems;
  }

  /** @internal The Istio `destination` object as seen from `namespace`. */
  public _toIstio(namespace: string): L1.VirtualServiceSpecHttpRouteDestination {
    const t = this.target;
    const host = t.kind === 'service' ? t.service.hostFrom(namespace) : t.kind === 'rule' ? t.rule.hostFrom(namespace) : t.host;
    const subset = t.kind === 'service' ? t.version : t.subset;
    return {
      host,
      ...(subset !== undefined && { subset }),
      ...(t.port !== undefined && { port: { number: t.port } }),
    };
  }
}
