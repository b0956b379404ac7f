import * as fs from 'fs';
import { ApiObject, Chart } from 'cdk8s';
import { writeManifests } from '../../lib';
import { analyze } from '../../lib/analysis/analyze';
import { temporaryFolder, testApp } from '../support/temporary-folders';

/**
 * CDK0011 beyond its fixtures: which apiVersions and kinds a cluster with Istio 1.30 refuses
 * ("no matches for kind") — versions Kubernetes and Istio removed, misspelt kinds, kinds in the
 * wrong group — and which kinds of unknown groups are left alone as CDK0001.
 */
type Doc = Record<string, unknown>;

const doc = (apiVersion: string, kind: string): Doc => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop' } });

/** The CDK0011 (or CDK0001) finding of one document: its field and message. */
function findingOf(apiVersion: string, kind: string): { code: string; field?: string; message: string } | undefined {
  const found = analyze([doc(apiVersion, kind)]).filter(m => m.code === 'CDK0011' || m.code === 'CDK0001');
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0] && { code: found[0].code, field: found[0].field, message: found[0].message };
}

describe('CDK0011: a kind the API server does not serve', () => {
  test.each([
    // versions Kubernetes or Istio stopped serving: the field at fault is apiVersion
    ['extensions/v1beta1', 'Ingress', 'apiVersion', 'extensions/v1beta1 Ingress is no longer served (removed in Kubernetes 1.22)', 'use networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'apiVersion', 'networking.k8s.io/v1beta1 Ingress is no longer served (removed in Kubernetes 1.22)', 'use networking.k8s.io/v1'],
    ['extensions/v1beta1', 'Deployment', 'apiVersion', 'extensions/v1beta1 Deployment is no longer served (removed in Kubernetes 1.16)', 'use apps/v1'],
    ['apps/v1beta2', 'StatefulSet', 'apiVersion', 'apps/v1beta2 StatefulSet is no longer served (removed in Kubernetes 1.16)', 'use apps/v1'],
    ['batch/v1beta1', 'CronJob', 'apiVersion', 'batch/v1beta1 CronJob is no longer served (removed in Kubernetes 1.25)', 'use batch/v1'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'apiVersion', 'policy/v1beta1 PodDisruptionBudget is no longer served (removed in Kubernetes 1.25)', 'use policy/v1'],
    ['policy/v1beta1', 'PodSecurityPolicy', 'apiVersion', 'policy/v1beta1 PodSecurityPolicy is no longer served (removed in Kubernetes 1.25)', 'Pod Security admission'],
    ['extensions/v1beta1', 'PodSecurityPolicy', 'apiVersion', 'extensions/v1beta1 PodSecurityPolicy is no longer served (removed in Kubernetes 1.16)', 'Pod Security admission'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', 'apiVersion', 'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema is no longer served (removed in Kubernetes 1.26)', 'use flowcontrol.apiserver.k8s.io/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', 'apiVersion', 'flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration is no longer served (removed in Kubernetes 1.32)', 'use flowcontrol.apiserver.k8s.io/v1'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'apiVersion', 'autoscaling/v2beta2 HorizontalPodAutoscaler is no longer served (removed in Kubernetes 1.26)', 'use autoscaling/v2'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', 'apiVersion', 'rbac.authorization.k8s.io/v1beta1 ClusterRole is no longer served (removed in Kubernetes 1.22)', 'use rbac.authorization.k8s.io/v1'],
    ['rbac.istio.io/v1alpha1', 'ServiceRole', 'apiVersion', 'rbac.istio.io/v1alpha1 ServiceRole is no longer served (removed in Istio 1.6)', 'security.istio.io/v1 AuthorizationPolicy'],
    ['authentication.istio.io/v1alpha1', 'Policy', 'apiVersion', 'authentication.istio.io/v1alpha1 Policy is no longer served (removed in Istio 1.6)', 'PeerAuthentication'],
    ['config.istio.io/v1alpha2', 'handler', 'apiVersion', 'config.istio.io/v1alpha2 handler is no longer served (removed in Istio 1.8 (Mixer))', 'Telemetry'],
    // kinds a version does not have: kind when misspelt, apiVersion when another group serves it
    ['v1', 'Servce', 'kind', 'v1 has no kind Servce', 'write Service'],
    ['v1', 'service', 'kind', 'v1 has no kind service', 'write Service'],
    ['v1', 'Deployment', 'apiVersion', 'v1 has no kind Deployment', 'use apiVersion apps/v1, which serves Deployment'],
    ['networking.istio.io/v1', 'EnvoyFilter', 'apiVersion', 'networking.istio.io/v1 has no kind EnvoyFilter', 'use apiVersion networking.istio.io/v1alpha3'],
    ['apps/v1', 'Deploy', 'kind', 'apps/v1 has no kind Deploy', 'its kinds are ControllerRevision, DaemonSet, Deployment'],
    ['networking.k8s.io/v1', 'Gateway', 'apiVersion', 'networking.k8s.io/v1 has no kind Gateway', 'use apiVersion networking.istio.io/v1'],
    ['networking.istio.io/v1', 'VirtualServce', 'kind', 'networking.istio.io/v1 has no kind VirtualServce', 'write VirtualService'],
    ['networking.istio.io/v1', 'Telemetry', 'apiVersion', 'networking.istio.io/v1 has no kind Telemetry', 'use apiVersion telemetry.istio.io/v1'],
    // versions a group does not serve
    ['apps/v2', 'Deployment', 'apiVersion', 'apps has no version v2', 'use apps/v1'],
    ['v2', 'Service', 'apiVersion', 'the core API group has no version v2', 'use v1'],
    ['telemetry.istio.io/v1beta1', 'Telemetry', 'apiVersion', 'telemetry.istio.io has no version v1beta1', 'use telemetry.istio.io/v1'],
    ['security.istio.io/v1alpha1', 'AuthorizationPolicy', 'apiVersion', 'security.istio.io has no version v1alpha1', 'use security.istio.io/v1'],
  ])('%s %s: reported at %s', (apiVersion, kind, field, says, fix) => {
    const finding = findingOf(apiVersion, kind)!;
    expect(finding).toMatchObject({ code: 'CDK0011', field });
    expect(finding.message).toContain(says);
    expect(finding.message.split('Fix: ')[1]).toContain(fix);
  });

  test.each([
    ['cert-manager.io/v1', 'Certificate'],
    ['v1', 'Node'],
    ['v1', 'Event'],
    ['v1', 'ConfigMapList'],
    ['apps/v1', 'ControllerRevision'],
    ['gateway.networking.k8s.io/v1alpha2', 'UDPRoute'],
    ['networking.k8s.io/v1beta1', 'IPAddress'],
    ['storage.k8s.io/v1', 'StorageClass'],
  ])('%s %s: served (or not judged), so only CDK0001 says it was not validated', (apiVersion, kind) => {
    expect(findingOf(apiVersion, kind)).toMatchObject({ code: 'CDK0001' });
  });

  test('kinds with a schema are served: the bundled apps\' kinds report neither code', () => {
    expect(findingOf('networking.istio.io/v1alpha3', 'EnvoyFilter')).toBeUndefined();
    expect(findingOf('telemetry.istio.io/v1alpha1', 'Telemetry')).toBeUndefined();
  });
});

describe('a synthesis with an unserved kind', () => {
  test('fails before writing anything, naming the construct, the field and the apiVersion to use', () => {
    const app = testApp();
    const chart = new Chart(app, 'web', { namespace: 'shop' });
    new ApiObject(chart, 'ingress', { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web' } });
    const outdir = temporaryFolder('kind-not-served-');
    expect(() => writeManifests(app, { outdir })).toThrow(
      /Error \[CDK0011\] \(Ingress shop\/web\) extensions\/v1beta1 Ingress is no longer served .* Fix: use networking\.k8s\.io\/v1.*\[apiVersion, construct web\/ingress\]/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});
