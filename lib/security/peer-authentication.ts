import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadTarget, matchLabelsOf, workloadPortOf } from './workload-selector';
import * as L1 from '../../imports/security.istio.io';
import { isAmbientNamespace } from '../core/ambient';
import { checkBooleans, checkMember, checkProps } from '../core/check';
import { checkPortNumber } from '../core/checks';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain } from '../core/names';
import { registerLibraryConstruct } from '../core/registry';

/** Whether a workload accepts plain text, mutual TLS, or both. */
export enum MtlsMode {
  /** Only mutual TLS; plain text is refused. */
  STRICT = 'STRICT',
  /** Both mutual TLS and plain text (for migration). */
  PERMISSIVE = 'PERMISSIVE',
  /** Plain text only (not in an ambient namespace: ztunnel always uses mutual TLS, and Istio ignores such a policy). */
  DISABLE = 'DISABLE',
  /** Inherit from the parent scope (namespace or mesh). */
  UNSET = 'UNSET',
}

/** The members of a generated mTLS mode enum (the policy's and the port level's are distinct TS enums). */
interface L1MtlsModes<M> {
  readonly STRICT: M;
  readonly PERMISSIVE: M;
  readonly DISABLE: M;
  readonly UNSET: M;
}

/** The explicit mapping of {@link MtlsMode} to one generated enum. */
function mtlsModes<M>(l1: L1MtlsModes<M>): Readonly<Record<MtlsMode, M>> {
  return { [MtlsMode.STRICT]: l1.STRICT, [MtlsMode.PERMISSIVE]: l1.PERMISSIVE, [MtlsMode.DISABLE]: l1.DISABLE, [MtlsMode.UNSET]: l1.UNSET };
}

const MTLS_MODES = mtlsModes(L1.PeerAuthenticationSpecMtlsMode);
const PORT_MTLS_MODES = mtlsModes(L1.PeerAuthenticationSpecPortLevelMtlsMode);

/** Props of {@link PeerAuthentication}. */
export interface PeerAuthenticationProps {
  /**
   * The resource name; `default` is the convention for mesh- and namespace-wide policies.
   * @default 'default' without a selector, otherwise the construct id
   */
  readonly name?: string;
  /**
   * The namespace (not with `meshWide`, which places the policy in `rootNamespace`).
   * @default the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Make the policy mesh-wide: it is placed in the root namespace instead of the chart's.
   * @default false
   */
  readonly meshWide?: boolean;
  /**
   * The mesh's root namespace, where mesh-wide policies live.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The workloads the policy applies to.
   * @default every workload in the namespace (or the mesh)
   */
  readonly selector?: WorkloadTarget;
  /** The mode for all ports. */
  readonly mode: MtlsMode;
  /**
   * Per-port overrides (port number to mode); only allowed with a selector. Istio keys them on the
   * workload's (container) port, not the Service port: with a MeshService selector a Service port
   * is written as the container port behind it (`{ 80: ... }` for a Service port 80 with targetPort
   * 8080 becomes `8080`); another number (a port of the pod the Service does not forward) stays.
   * @default none
   */
  readonly portLevelMtls?: Record<number, MtlsMode>;
}

/**
 * An Istio PeerAuthentication: which mutual TLS mode workloads accept — mesh-wide (root
 * namespace), namespace-wide, or for selected workloads, with optional per-port overrides.
 */
export class PeerAuthentication extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The mode for all ports. */
  public readonly mode: MtlsMode;
  /** The L1 object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps) {
    super(scope, id);
    checkProps(this, props, 'its mode, e.g. { mode: MtlsMode.STRICT }');
    registerLibraryConstruct(this);
    checkBooleans(this, '', props, ['meshWide']);
    this.mode = checkMember(this, 'mode', props.mode, MtlsMode, 'MtlsMode');
    this.name = checkDnsSubdomain(this, 'name', props.name ?? (props.selector ? id : 'default'));
    if (props.meshWide && props.selector) {
      throw new MeshConfigError(this, 'selector', 'a mesh-wide policy applies to every workload and cannot have a selector',
        'remove selector, or drop meshWide for a workload policy in the chart\'s namespace');
    }
    if (props.meshWide && props.namespace !== undefined) {
      throw new MeshConfigError(this, 'namespace', 'a mesh-wide policy lives in the root namespace, so namespace would be ignored',
        'remove namespace (set rootNamespace for another root), or drop meshWide for a policy of that namespace');
    }
    const ports = Object.entries(props.portLevelMtls ?? {});
    if (ports.length > 0 && !props.selector) {
      throw new MeshConfigError(this, 'portLevelMtls', 'port-level mTLS needs a workload selector (Istio ignores it otherwise)',
        'add selector: <MeshService or labels> naming the workloads whose ports these are');
    }
    const workloadPorts = new Map<number, MtlsMode>();
    for (const [port, mode] of ports) {
      const field = `portLevelMtls.${port}`;
      checkMember(this, field, mode, MtlsMode, 'MtlsMode');
      const workloadPort = workloadPortOf(props.selector, checkPortNumber(this, field, Number(port)));
      if (workloadPorts.has(workloadPort)) {
        throw new MeshConfigError(this, field, `names container port ${workloadPort}, which another entry of portLevelMtls names too`,
          'give each workload port one entry (a Service port stands for the container port behind it)');
      }
      workloadPorts.set(workloadPort, mode);
    }
    const rootNamespace = props.rootNamespace ?? 'istio-system';
    const namespace = props.meshWide ? rootNamespace : props.namespace ?? Chart.of(this).namespace;
    if (!props.meshWide) this.node.addValidation({ validate: () => this.ambientProblems(namespace ?? 'default', workloadPorts) });
    this.resource = libraryObject(this, 'Resource', L1.PeerAuthentication, { name: this.name, ...(namespace && { namespace }) }, {
      ...(props.selector && { selector: { matchLabels: matchLabelsOf(this, 'selector', props.selector, namespace ?? 'default') } }),
      mtls: { mode: MTLS_MODES[props.mode] },
      ...(workloadPorts.size > 0 && {
        portLevelMtls: Object.fromEntries([...workloadPorts].map(([port, mode]) => [port, { mode: PORT_MTLS_MODES[mode] }])),
      }),
    }, L1.toJson_PeerAuthenticationSpec);
  }

  /**
   * DISABLE in a namespace the app declares ambient: ztunnel always speaks mutual TLS (HBONE) with
   * mesh workloads, and Istio treats DISABLE as PERMISSIVE there, so the policy does not do what it
   * says; PERMISSIVE says what it does.
   */
  private ambientProblems(namespace: string, ports: ReadonlyMap<number, MtlsMode>): string[] {
    if (!isAmbientNamespace(this, namespace)) return [];
    const fields = [...this.mode === MtlsMode.DISABLE ? ['mode'] : [],
      ...[...ports].filter(([, mode]) => mode === MtlsMode.DISABLE).map(([port]) => `portLevelMtls.${port}`)];
    return fields.map(field => new MeshConfigError(this, field,
      `DISABLE does not turn mutual TLS off in the ambient namespace ${namespace}: ztunnel always uses it between mesh workloads, `
      + 'and Istio treats DISABLE as PERMISSIVE there',
      'write PERMISSIVE to accept plain text from clients outside the mesh, or take the namespace out of ambient mode for plain text',
    ).message);
  }
}
