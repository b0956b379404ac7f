/**
 * The default name of a port: its protocol in lower case for the first port of that protocol,
 * `<protocol>-<port>` for later ones, so names stay unique (Istio rejects repeated port names).
 *
 * @param protocol the port's protocol, e.g. `HTTP` or `http`
 * @param port the port number
 * @param earlierProtocols the protocols of the ports listed before this one
 */
export function defaultPortName(protocol: string, port: number, earlierProtocols: readonly string[]): string {
  const base = protocol.toLowerCase();
  return earlierProtocols.some(p => p.toLowerCase() === base) ? `${base}-${port}` : base;
}
