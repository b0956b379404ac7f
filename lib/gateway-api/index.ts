import { Construct } from 'constructs';
import { GatewayRendering } from './gateway-listeners';
import { VirtualServiceRendering } from './routes';
import { registerGatewayApiRenderers } from './routing-api';
import { Gateway } from '../mesh/gateway';
import { VirtualService } from '../mesh/virtual-service';

export { ISTIO_GATEWAY_CLASS, RoutingApi, ROUTING_API_CONTEXT, routingApiOf, useRoutingApi } from './routing-api';
export { deployedGateway } from './gateway-listeners';
export type { DeployedGateway } from './gateway-listeners';
export * from './reference-grant';

/** The Gateway API rendering of each Gateway rendered so. */
const gatewayRenderings = new WeakMap<Construct, GatewayRendering>();

registerGatewayApiRenderers({
  gateway(gateway) {
    const rendering = new GatewayRendering(gateway as Gateway);
    gatewayRenderings.set(gateway, rendering);
    return rendering;
  },
  virtualService(virtualService) {
    return new VirtualServiceRendering(virtualService as VirtualService, g => gatewayRenderings.get(g));
  },
});
