import { PortProtocol } from '../core/port-protocol';

export { PortProtocol, portNameMatchesProtocol, protocolOfPortName } from '../core/port-protocol';

/** A port of a {@link MeshService}. */
export interface MeshServicePort {
  /** The Service port clients connect to. */
  readonly port: number;
  /**
   * The container port traffic is sent to.
   * @default the same as `port`
   */
  readonly targetPort?: number;
  /**
   * The application protocol, which determines the port name Istio classifies.
   * @default PortProtocol.HTTP
   */
  readonly protocol?: PortProtocol;
  /**
   * The port name. It must be the protocol's name or start with it followed by `-`
   * (e.g. `http-web` for HTTP), so that Istio classifies it.
   * @default the protocol name (`http`) for the first port of a protocol, `<protocol>-<port>` for later ones
   */
  readonly name?: string;
}
