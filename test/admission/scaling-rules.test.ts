import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

/** An autoscaling/v2 HorizontalPodAutoscaler of Deployment api with the given spec fields. */
function hpa(spec: Json, apiVersion = 'autoscaling/v2'): Json {
  return {
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 5, ...spec },
  };
}

/** A CPU metric with the given target. */
const cpu = (target: Json): Json => ({ type: 'Resource', resource: { name: 'cpu', target } });

function pdb(spec: Json): Json {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'api' } }, ...spec } };
}

const failing: FailingCase[] = [
  { name: 'minReplicas 0', doc: hpa({ minReplicas: 0 }), path: 'spec.minReplicas', says: 'minReplicas is 0, and the autoscaler keeps at least 1 pod', fix: 'HPAScaleToZero' },
  { name: 'maxReplicas below minReplicas', doc: hpa({ minReplicas: 6, maxReplicas: 3 }), path: 'spec.maxReplicas', says: 'maxReplicas (3) is below minReplicas (6)', fix: 'raise maxReplicas to 6' },
  { name: 'maxReplicas 0', doc: hpa({ maxReplicas: 0 }), path: 'spec.maxReplicas', says: 'maxReplicas is 0', fix: '1 or more' },
  { name: 'a metric type without its source', doc: hpa({ metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }), path: 'spec.metrics[0].resource', says: 'a Pods metric sets resource too', fix: 'remove resource' },
  { name: 'a metric type with no source at all', doc: hpa({ metrics: [{ type: 'External' }] }), path: 'spec.metrics[0].external', says: 'the External metric does not set external', fix: 'under external' },
  { name: 'an unknown metric type', doc: hpa({ metrics: [{ type: 'Cpu' }] }), path: 'spec.metrics[0].type', says: '"Cpu" is not a metric type', fix: 'Resource, ContainerResource, Pods, Object, External' },
  { name: 'a Resource target without a utilization or value', doc: hpa({ metrics: [cpu({ type: 'Utilization' })] }), path: 'spec.metrics[0].resource.target.averageUtilization', says: 'sets neither averageUtilization nor averageValue', fix: 'set averageUtilization' },
  { name: 'a Resource target with both', doc: hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 80, averageValue: '500m' })] }), path: 'spec.metrics[0].resource.target.averageValue', says: 'sets both averageUtilization and averageValue', fix: 'keep one' },
  { name: 'a utilization of 0%', doc: hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 0 })] }), path: 'spec.metrics[0].resource.target.averageUtilization', says: '0% is not a utilization target', fix: 'at least 1' },
  { name: 'a Pods target without averageValue', doc: hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'Value', value: '10' } } }] }), path: 'spec.metrics[0].pods.target.averageValue', says: 'a Pods target needs averageValue', fix: 'type AverageValue' },
  { name: 'a negative target value', doc: hpa({ metrics: [{ type: 'Object', object: { metric: { name: 'rps' }, describedObject: { kind: 'Service', name: 'api' }, target: { type: 'Value', value: '-5' } } }] }), path: 'spec.metrics[0].object.target.value', says: '"-5" is not a positive target', fix: 'above 0' },
  { name: 'a scaling policy period over 30 minutes', doc: hpa({ behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 3600 }] } } }), path: 'spec.behavior.scaleDown.policies[0].periodSeconds', says: '3600 s is outside 1 to 1800 s', fix: '1 to 1800 seconds' },
  { name: 'a stabilization window over an hour', doc: hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 7200 } } }), path: 'spec.behavior.scaleUp.stabilizationWindowSeconds', says: '7200 s is outside 0 to 3600 s', fix: '0 to 3600' },
  { name: 'v1\'s CPU target of 0', doc: hpa({ targetCPUUtilizationPercentage: 0 }, 'autoscaling/v1'), path: 'spec.targetCPUUtilizationPercentage', says: '0 is not a CPU utilization target', fix: 'at least 1' },
  { name: 'a PodDisruptionBudget with both minAvailable and maxUnavailable', doc: pdb({ minAvailable: 1, maxUnavailable: 1 }), path: 'spec.maxUnavailable', says: 'minAvailable and maxUnavailable are both set', fix: 'keep one of them' },
  { name: 'a PodDisruptionBudget of 120%', doc: pdb({ minAvailable: '120%' }), path: 'spec.minAvailable', says: '120% is more than 100%', fix: 'at most 100%' },
  { name: 'a PodDisruptionBudget selector with an unknown operator', doc: pdb({ maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'Is', values: ['api'] }] } }), path: 'spec.selector.matchExpressions[0].operator', says: '"Is" is not a selector operator', fix: 'In, NotIn' },
];

describe('scaling rules (the API server\'s autoscaler and disruption budget validation)', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('valid autoscalers and budgets pass', () => {
    expectAccepted(hpa({
      minReplicas: 2,
      metrics: [cpu({ type: 'Utilization', averageUtilization: 70 }),
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
    }));
    expectAccepted(hpa({ minReplicas: 1, maxReplicas: 1, targetCPUUtilizationPercentage: 80 }, 'autoscaling/v1'));
    expectAccepted(pdb({ minAvailable: '50%' }));
    expectAccepted(pdb({ maxUnavailable: 0 }));
  });
});
