import { App } from 'cdk8s';
import { AppBuild } from '../app-build';
import { FoodDeliveryChart, FoodDeliveryProps } from './food-delivery-chart';

export * from './food-delivery-chart';
export * from './food-delivery-gateway-api';

/** The food delivery app as an App: one file, `food-delivery.yaml`. */
export function foodDeliveryApp(props: FoodDeliveryProps = {}): AppBuild {
  const app = new App();
  new FoodDeliveryChart(app, 'food-delivery', props);
  return { app, fileOf: () => 'food-delivery.yaml' };
}
