import { isIP } from 'net';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as L1 from '../../imports/networking.istio.io';
import { checkMember, checkProps, describeGiven } from '../core/check';
import { checkIpOrCidr, checkPortNumber } from '../core/checks';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain, checkExportTo, checkHost } from '../core/names';
import { defaultPortName } from '../core/port-names';
import { registerLibraryConstruct } from '../core/registry';

/** How the proxy finds the endpoints of a ServiceEntry's hosts. */
export enum ServiceEntryResolution {
  /** Use the connection's original destination address (no endpoints may be listed). */
  NONE = 'NONE',
  /** Use the listed endpoints' static addresses. */
  STATIC = 'STATIC',
  /** Resolve the hosts (or the endpoints' addresses) through DNS. */
  DNS = 'DNS',
  /** Resolve through DNS and use the first address, for hosts with many rotating addresses. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
}

const RESOLUTIONS: Readonly<Record<ServiceEntryResolution, L1.ServiceEntrySpecResolution>> = {
  [ServiceEntryResolution.NONE]: L1.ServiceEntrySpecResolution.NONE,
  [ServiceEntryResolution.STATIC]: L1.ServiceEntrySpecResolution.STATIC,
  [ServiceEntryResolution.DNS]: L1.ServiceEntrySpecResolution.DNS,
  [ServiceEntryResolution.DNS_ROUND_ROBIN]: L1.ServiceEntrySpecResolution.DNS_UNDERSCORE_ROUND_UNDERSCORE_ROBIN,
};

/** Whether the hosts are outside the mesh or part of it. */
export enum ServiceEntryLocation {
  /** Outside the mesh, e.g. a public API (no mTLS towards it). */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Inside the mesh, e.g. VMs with sidecars. */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

const LOCATIONS: Readonly<Record<ServiceEntryLocation, L1.ServiceEntrySpecLocation>> = {
  [ServiceEntryLocation.MESH_EXTERNAL]: L1.ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
  [ServiceEntryLocation.MESH_INTERNAL]: L1.ServiceEntrySpecLocation.MESH_UNDERSCORE_INTERNAL,
};

/** The protocols a ServiceEntry port may name. */
const SERVICE_ENTRY_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS', 'MONGO', 'MYSQL', 'REDIS'] as const;

/** A port of a ServiceEntry. */
export interface ServiceEntryPort {
  /** The port number. */
  readonly number: number;
  /** The protocol, e.g. `HTTP`, `HTTPS`, `TCP`, `TLS`, `GRPC`. */
  readonly protocol: typeof SERVICE_ENTRY_PROTOCOLS[number];
  /**
   * The port name, unique within the entry.
   * @default the protocol in lower case for its first port, `<protocol>-<number>` for later ones
   */
  readonly name?: string;
  /**
   * The endpoint port traffic is sent to.
   * @default the same as `number`
   */
  readonly targetPort?: number;
}

/** An endpoint of a ServiceEntry with STATIC or DNS resolution. */
export interface ServiceEntryEndpoint {
  /** IP address or DNS name. */
  readonly address: string;
  /**
   * Port name to endpoint port overrides.
   * @default the ServiceEntry's ports
   */
  readonly ports?: Record<string, number>;
  /**
   * Labels of the endpoint (for subsets).
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/** Props of {@link ServiceEntry}. */
export interface ServiceEntryProps {
  /**
   * The resource name.
   * @default the construct id
   */
  readonly name?: string;
  /** Hosts added to the mesh's service registry, e.g. `www.googleapis.com`. */
  readonly hosts: string[];
  /** Ports of the hosts. */
  readonly ports: ServiceEntryPort[];
  /** How endpoints are found. */
  readonly resolution: ServiceEntryResolution;
  /**
   * Outside or inside the mesh.
   * @default Istio's default (MESH_EXTERNAL)
   */
  readonly location?: ServiceEntryLocation;
  /**
   * Virtual IPs or CIDRs of the hosts (CIDRs only with resolution NONE or STATIC).
   * @default none
   */
  readonly addresses?: string[];
  /**
   * Endpoints (not allowed with resolution NONE; at most one with DNS_ROUND_ROBIN).
   * @default none
   */
  readonly endpoints?: ServiceEntryEndpoint[];
  /**
   * Namespaces the entry is visible to.
   * @default Istio's default (all namespaces)
   */
  readonly exportTo?: string[];
}

/**
 * An Istio ServiceEntry: adds hosts outside (or at the edge of) the mesh to its service registry so
 * sidecars can route to them with mesh features, e.g. for egress to an external API.
 */
export class ServiceEntry extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The hosts. */
  public readonly hosts: readonly string[];
  /** The L1 object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id);
    checkProps(this, props, 'its hosts, ports and resolution, e.g. { hosts: [\'api.example.com\'], ports: [...], resolution }');
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    // a lookup table turns a member it lacks into no field at all, and Istio into its default (NONE, MESH_EXTERNAL)
    checkMember(this, 'resolution', props.resolution, ServiceEntryResolution, 'ServiceEntryResolution');
    if (props.location !== undefined) checkMember(this, 'location', props.location, ServiceEntryLocation, 'ServiceEntryLocation');
    if (props.hosts.length === 0) {
      throw new MeshConfigError(this, 'hosts', 'a ServiceEntry needs at least one host', 'list the external host names');
    }
    if (props.hosts.includes('*')) {
      throw new MeshConfigError(this, 'hosts', 'the host "*" is not allowed',
        'name the hosts, or use a wildcard domain such as *.example.com');
    }
    props.hosts.forEach((h, i) => checkHost(this, `hosts[${i}]`, h));
    (props.addresses ?? []).forEach((a, i) => checkIpOrCidr(this, `addresses[${i}]`, a));
    if (props.ports.length === 0) {
      throw new MeshConfigError(this, 'ports', 'a ServiceEntry needs at least one port',
        'list the ports, e.g. { number: 443, protocol: \'HTTPS\' }');
    }
    props.ports.forEach((p, i) => {
      checkPortNumber(this, `ports[${i}].number`, p.number);
      checkPortProtocol(this, `ports[${i}].protocol`, p.protocol);
      if (props.ports.findIndex(q => q.number === p.number) !== i) {
        throw new MeshConfigError(this, `ports[${i}].number`, `port ${p.number} is listed twice`, 'list each port number once');
      }
    });
    const portNames = props.ports.map((p, i) =>
      p.name ?? defaultPortName(p.protocol, p.number, props.ports.slice(0, i).map(q => q.protocol)));
    portNames.forEach((name, i) => {
      if (portNames.indexOf(name) !== i) {
        throw new MeshConfigError(this, `ports[${i}].name`, `port name "${name}" is already used`,
          'give each port its own name (Istio rejects duplicates)');
      }
    });
    const endpoints = props.endpoints ?? [];
    const wildcard = props.hosts.find(h => h.includes('*'));
    const throughDns = [ServiceEntryResolution.DNS, ServiceEntryResolution.DNS_ROUND_ROBIN].includes(props.resolution);
    if (wildcard && throughDns && endpoints.length === 0) {
      throw new MeshConfigError(this, 'hosts',
        `wildcard host ${wildcard} cannot be resolved through DNS (resolution ${props.resolution}) without endpoints`,
        'list fully qualified hosts, add endpoints, or use resolution NONE');
    }
    if (props.resolution === ServiceEntryResolution.NONE && endpoints.length > 0) {
      throw new MeshConfigError(this, 'endpoints', 'resolution NONE forwards to the original destination and takes no endpoints',
        'remove endpoints, or use resolution STATIC (IP endpoints) or DNS');
    }
    if (props.resolution === ServiceEntryResolution.DNS_ROUND_ROBIN && endpoints.length > 1) {
      throw new MeshConfigError(this, 'endpoints', 'resolution DNS_ROUND_ROBIN takes at most one endpoint',
        'use resolution DNS for several endpoints');
    }
    if (props.resolution === ServiceEntryResolution.STATIC && endpoints.length === 0) {
      throw new MeshConfigError(this, 'endpoints', 'resolution STATIC needs endpoints with IP addresses',
        'add endpoints, or use resolution DNS');
    }
    endpoints.forEach((e, i) => {
      if (throughDns && typeof e.address === 'string' && e.address.startsWith('unix://')) {
        throw new MeshConfigError(this, `endpoints[${i}].address`,
          `"${e.address}" is a socket, and resolution ${props.resolution} needs an IP address or a DNS name`,
          'use resolution STATIC for unix:// endpoints, or give a host name');
      }
      if (props.resolution === ServiceEntryResolution.STATIC && !isIP(e.address) && !e.address.startsWith('unix://')) {
        throw new MeshConfigError(this, `endpoints[${i}].address`, `"${e.address}" is not an IP address, which resolution STATIC needs`,
          'use the IP address, or resolution DNS for a host name');
      }
    });
    (props.exportTo ?? []).forEach((e, i) => checkExportTo(this, `exportTo[${i}]`, e));
    const cidr = (props.addresses ?? []).find(a => a.includes('/'));
    if (cidr && ![ServiceEntryResolution.NONE, ServiceEntryResolution.STATIC].includes(props.resolution)) {
      throw new MeshConfigError(this, 'addresses', `CIDR address ${cidr} is only allowed with resolution NONE or STATIC`,
        'use single IPs, or change the resolution');
    }
    this.hosts = props.hosts;
    this.resource = libraryObject(this, 'Resource', L1.ServiceEntry, { name: this.name }, {
      hosts: props.hosts,
      ...(props.addresses && { addresses: props.addresses }),
      ports: props.ports.map((p, i) => ({
        number: p.number, name: portNames[i], protocol: p.protocol, ...(p.targetPort && { targetPort: p.targetPort }),
      })),
      ...(props.location && { location: LOCATIONS[props.location] }),
      resolution: RESOLUTIONS[props.resolution],
      ...(endpoints.length > 0 && { endpoints: endpoints.map(e => compact({ address: e.address, ports: e.ports, labels: e.labels })!) }),
      ...(props.exportTo && { exportTo: props.exportTo }),
    }, L1.toJson_ServiceEntrySpec);
  }
}

/** Refuses a port protocol Istio does not know (it rejects the entry); one in another case gets the upper-case fix. */
function checkPortProtocol(scope: Construct, field: string, protocol: unknown): void {
  if ((SERVICE_ENTRY_PROTOCOLS as readonly unknown[]).includes(protocol)) return;
  const upper = typeof protocol === 'string' ? SERVICE_ENTRY_PROTOCOLS.find(p => p === protocol.toUpperCase()) : undefined;
  throw new MeshConfigError(scope, field, `${describeGiven(protocol)} is not a ServiceEntry port protocol`,
    upper ? `write "${upper}"` : `use one of ${SERVICE_ENTRY_PROTOCOLS.join(', ')}`);
}
