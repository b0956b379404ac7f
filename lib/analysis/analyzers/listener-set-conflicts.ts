import type { GatewaySpec, GatewaySpecListeners } from '../../../imports/gateway.networking.k8s.io';
import { Analyzer } from '../analyzer';
import { ListenerSetSpec, TypedResource, list } from '../mesh-index';
import { msg } from '../message-constructors';
import { gatewayParent, namespaceAdmitted } from './gateway-api';

/** A listener of a ListenerSet attached to a Gateway. */
interface SetListener {
  readonly set: TypedResource<ListenerSetSpec>;
  readonly listener: GatewaySpecListeners;
  readonly index: number;
}

/** What makes a listener unique in its Gateway: port, protocol and hostname (an absent hostname equals only another absent one). */
const keyOf = (l: GatewaySpecListeners) => `${l.port}|${l.protocol}|${l.hostname ?? ''}`;

/**
 * KIA1503: a listener of a ListenerSet repeats the hostname, port and protocol of another listener
 * of the Gateway it is attached to — one of the Gateway's own, or one of another ListenerSet
 * attached to it. Within one Gateway (or one ListenerSet) the CRD's rule already refuses such
 * listeners (IST0106); across the objects that make up a Gateway's listeners only this finds them.
 * A ListenerSet is attached when its parentRef names a Gateway of the manifests whose
 * `allowedListeners` admits its namespace (`None` by default). Listeners are grouped by Gateway and
 * key, not compared pairwise.
 */
export const listenerSetConflicts: Analyzer = {
  name: 'listener-set-conflicts',
  codes: ['KIA1503'],
  analyze(index, report) {
    const attached = new Map<TypedResource<GatewaySpec>, SetListener[]>();
    for (const set of index.listenerSets()) {
      const parent = gatewayParent(set.spec.parentRef, set.namespace);
      const gateway = parent && index.gatewayApiGateway(parent.namespace, parent.name);
      if (!gateway) continue;
      if (namespaceAdmitted(index, gateway.spec.allowedListeners?.namespaces, 'None', gateway.namespace, set.namespace) !== true) continue;
      const listeners = attached.get(gateway) ?? [];
      list(set.spec.listeners).forEach((listener, i) => listeners.push({ set, listener, index: i }));
      attached.set(gateway, listeners);
    }
    for (const [gateway, setListeners] of attached) {
      const owners = new Map<string, string[]>();
      const own = (key: string, owner: string) => owners.set(key, [...owners.get(key) ?? [], owner]);
      for (const l of list(gateway.spec.listeners)) own(keyOf(l), `the Gateway's listener ${l.name}`);
      const described = setListeners.map(s => `listener ${s.listener.name} of ListenerSet ${s.set.namespace}/${s.set.name}`);
      setListeners.forEach((s, i) => own(keyOf(s.listener), described[i]));
      setListeners.forEach((s, i) => {
        const others = owners.get(keyOf(s.listener))!.filter(o => o !== described[i]);
        if (others.length === 0) return;
        const { name, hostname, port, protocol } = s.listener;
        report(s.set, msg.listenerNotUnique({ name, hostname, port, protocol }, others, `${gateway.namespace}/${gateway.name}`),
          `spec.listeners[${s.index}]`);
      });
    }
  },
};
