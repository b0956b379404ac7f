import { Analyzer } from '../analyzer';
import { Doc, list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * IST0134: a ServiceEntry without addresses (none set, none allocated in its status) with a port
 * whose protocol is TCP or unset: without a virtual IP, the sidecar cannot tell its TCP traffic
 * from other TCP traffic on the port. One message per such port.
 */
export const serviceEntryAddresses: Analyzer = {
  name: 'service-entry-addresses',
  codes: ['IST0134'],
  analyze(index, report) {
    for (const se of index.serviceEntries()) {
      const allocated = list((se.doc.status as Doc | undefined)?.addresses as unknown[] | undefined);
      if (strings(se.spec.addresses).length > 0 || allocated.length > 0) continue;
      list(se.spec.ports).forEach((port, i) => {
        const protocol = typeof port.protocol === 'string' ? port.protocol.toUpperCase() : '';
        if (protocol === '' || protocol === 'TCP') report(se, msg.serviceEntryAddressesRequired(port.number), `spec.ports[${i}]`);
      });
    }
  },
};
