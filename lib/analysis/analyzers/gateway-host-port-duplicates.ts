import type { GatewaySpec } from '../../../imports/networking.istio.io';
import { Analyzer } from '../analyzer';
import { TypedResource, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';
import { HostTable } from './overlaps';

/** One host of one server of a Gateway. */
interface ServerHost {
  readonly gateway: TypedResource<GatewaySpec>;
  readonly field: string;
  /** The host without its `<namespace>/` part. */
  readonly host: string;
  /** The namespace part (`*` when none; `.` resolved to the Gateway's namespace). */
  readonly namespace: string;
}

/** Whether two server hosts can route the same VirtualServices (same namespace part, or one of them `*`). */
function namespacesMeet(a: ServerHost, b: ServerHost): boolean {
  return a.namespace === b.namespace || a.namespace === '*' || b.namespace === '*';
}

/**
 * KIA0301: two Gateways with the same selector (the same ingress pods, as Kiali takes it) serve
 * overlapping hosts on the same port, so either could take the traffic. Hosts overlap when equal
 * or when a wildcard covers the other (`*`, `*.example.com`), within the namespaces their
 * `<namespace>/` part allows. Hosts are grouped by selector and port and then looked up by name,
 * not compared pairwise.
 */
export const gatewayHostPortDuplicates: Analyzer = {
  name: 'gateway-host-port-duplicates',
  codes: ['KIA0301'],
  analyze(index, report) {
    const byListener = new Map<string, { hosts: ServerHost[]; table: HostTable<ServerHost> }>();
    for (const gateway of index.gateways()) {
      const selector = Object.entries(gateway.spec.selector ?? {}).sort().map(([k, v]) => `${k}=${v}`).join(',');
      list(gateway.spec.servers).forEach((server, i) => {
        const key = `${selector}|${server.port?.number}`;
        let listener = byListener.get(key);
        if (!listener) byListener.set(key, listener = { hosts: [], table: new HostTable() });
        strings(server.hosts).forEach((written, j) => {
          const slash = written.indexOf('/');
          const ns = slash < 0 ? '*' : written.slice(0, slash);
          const entry = {
            gateway,
            field: `spec.servers[${i}].hosts[${j}]`,
            host: written.slice(slash + 1),
            namespace: ns === '.' ? gateway.namespace : ns,
          };
          listener!.hosts.push(entry);
          listener!.table.add(entry.host, entry);
        });
      });
    }
    const others = new Map<ServerHost, Set<string>>();
    const note = (a: ServerHost, b: ServerHost) => {
      let names = others.get(a);
      if (!names) others.set(a, names = new Set());
      names.add(`${b.gateway.namespace}/${b.gateway.name}`);
    };
    for (const [key, { hosts, table }] of byListener) {
      for (const a of hosts) {
        for (const b of table.covering(a.host)) {
          if (b.gateway === a.gateway || !namespacesMeet(a, b)) continue;
          note(a, b);
          note(b, a);
        }
      }
      const port = key.slice(key.lastIndexOf('|') + 1);
      for (const a of hosts) {
        const names = others.get(a);
        if (names) report(a.gateway, msg.multipleGatewaysForHostPort(a.host, port, [...names].sort()), a.field);
      }
    }
  },
};
