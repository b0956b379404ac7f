import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The namespace a construct's objects land in: its chart's, or Kubernetes' `default`. */
export function namespaceOf(scope: IConstruct): string {
  return Chart.of(scope).namespace ?? 'default';
}
