import { protocolOfPortName } from '../../core/port-protocol';
import { Analyzer } from '../analyzer';
import { list } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * IST0150: a port of an ExternalName Service named `tcp`, or with neither an appProtocol nor a
 * name that says its protocol: the sidecar may not forward its traffic (or unmatched TCP traffic on
 * the port) to the external name correctly.
 */
export const externalNamePortName: Analyzer = {
  name: 'external-name-port-name',
  codes: ['IST0150'],
  analyze(index, report) {
    for (const service of index.services()) {
      if (service.spec.type !== 'ExternalName') continue;
      list(service.spec.ports).forEach((p, i) => {
        const unnamedProtocol = p.appProtocol === undefined && (p.name === undefined || protocolOfPortName(p.name) === undefined);
        if (p.name !== 'tcp' && !unnamedProtocol) return;
        report(service, msg.externalNameServiceTypeInvalidPortName(p.name), `spec.ports[${i}].name`);
      });
    }
  },
};
