import { Analyzer } from '../analyzer';

/** Protocol prefixes Istio classifies a Service port name by (`<protocol>` or `<protocol>-<suffix>`). */
export const PORT_NAME_PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

/** Whether Istio can classify a port by its name. */
export function portNameFollowsConvention(name: string | undefined): boolean {
  return name !== undefined && PORT_NAME_PROTOCOLS.some(p => name === p || name.startsWith(`${p}-`));
}

/** IST0118: a Service port has neither a protocol-prefixed name nor an appProtocol. */
export const portNameConvention: Analyzer = {
  codes: ['IST0118'],
  analyze(index, report) {
    for (const service of index.ofKind('Service')) {
      if (service.namespace === 'kube-system') continue;
      (service.doc.spec?.ports ?? []).forEach((p: { name?: string; port: number; targetPort?: unknown; appProtocol?: string }, i: number) => {
        if (p.appProtocol || portNameFollowsConvention(p.name)) return;
        report('IST0118', service, `Port name ${p.name ?? '(none)'} (port: ${p.port}, targetPort: ${p.targetPort ?? p.port}) doesn't follow the naming convention of Istio port. Name it <protocol>[-<suffix>] (e.g. http-web, tcp-db) or set appProtocol.`, `spec.ports[${i}].name`);
      });
    }
  },
};
