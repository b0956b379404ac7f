import { App } from 'cdk8s';
import { FoodDeliveryChart, FoodDeliveryProps } from './food-delivery-chart';
import { RoutingApi, useRoutingApi } from '../../lib';
import { AppBuild } from '../app-build';

/**
 * The food delivery app rendered to the Gateway API (dist/food-delivery-gateway-api/food-delivery.yaml):
 * a Gateway of class istio with the HTTPS listener (certificate Secret `tlsSecretName` in the app's
 * namespace) and the HTTP listener whose HTTPRoute redirects to HTTPS, the ingress HTTPRoute to
 * each service's `-v1` Service, and the gateway Istio deploys allowed in the zero-trust namespace.
 * The payment route (by caller labels, with retries) stays a VirtualService.
 */
export function foodDeliveryGatewayApiApp(props: FoodDeliveryProps = {}): AppBuild {
  const app = new App();
  useRoutingApi(app, RoutingApi.GATEWAY_API);
  new FoodDeliveryChart(app, 'food-delivery', props);
  return { app, fileOf: () => 'food-delivery.yaml' };
}
