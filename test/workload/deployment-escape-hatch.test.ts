import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { MeshNamespace, MeshService, Probe, writeManifests } from '../../lib';
import { droppedFields } from '../../lib/workload/kube-objects';
import { expectMeshError, findDoc, newChart, docsOf } from '../support/constructs';
import { temporaryFolder } from '../support/temporary-folders';

/** An app with a namespace and one MeshService `shop/api` (limits and a probe set), ready for writeManifests(). */
function shop(): { app: App; api: MeshService } {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new MeshNamespace(chart, 'shop');
  const api = new MeshService(chart, 'api', {
    port: 8080,
    versions: { v1: { image: 'registry.example.com/api:1.0', limits: { cpu: '500m' }, readinessProbe: Probe.httpGet('/ready', 8080) } },
  });
  return { app, api };
}

function outdir(): string {
  return temporaryFolder('cdk8s-istio-escape-hatch-');
}

/** The message writeManifests() fails with (and that nothing was written). */
function synthFailure(app: App): string {
  const dir = outdir();
  let message = '';
  try {
    writeManifests(app, { outdir: dir });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).not.toBe('');
  expect(message).not.toMatch(/\n\s+at /); // no stack trace
  expect(fs.readdirSync(dir)).toEqual([]);
  return message;
}

function container(doc: any): any {
  return doc.spec.template.spec.containers[0];
}

describe('patches through the Deployment escape hatch are schema-checked at synth', () => {
  test('a patch giving a number field a string fails writeManifests() with the Deployment construct path and the field', () => {
    const { app, api } = shop();
    api.deployment('v1').addJsonPatch(JsonPatch.add('/spec/template/spec/terminationGracePeriodSeconds', '5'));
    const message = synthFailure(app);
    expect(message).toMatch(/\(Deployment shop\/api-v1\) Schema validation error: spec\.template\.spec\.terminationGracePeriodSeconds: /);
    expect(message).toContain('construct shop/api/Deployment-v1');
  });

  test('a patch adding a field the Deployment does not have fails writeManifests() with the field named', () => {
    const { app, api } = shop();
    api.deployment('v1').addJsonPatch(JsonPatch.add('/spec/template/spec/terminationGracePeriod', 5));
    const message = synthFailure(app);
    expect(message).toMatch(/\(Deployment shop\/api-v1\) Schema validation error: spec\.template\.spec.*terminationGracePeriod\b/);
    expect(message).toContain('construct shop/api/Deployment-v1');
  });

  test('a valid patch reaches the output as written, quantities and probe ports included, and the synth passes', () => {
    const { app, api } = shop();
    const deployment = api.deployment('v1');
    deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/limits/cpu', '1'));
    deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/readinessProbe/httpGet/port', 9090));
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/terminationGracePeriodSeconds', 5));
    const c = container(deployment.toJson());
    expect(c.resources).toEqual({ requests: { memory: '128Mi' }, limits: { cpu: '1' } });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 9090 } });
    expect(deployment.toJson().spec.template.spec.terminationGracePeriodSeconds).toBe(5);
    const dir = outdir();
    writeManifests(app, { outdir: dir });
    expect(fs.readFileSync(path.join(dir, 'shop.yaml'), 'utf8')).toContain('terminationGracePeriodSeconds: 5');
  });

  test('a Service patch is kept as written too (a target port set through the escape hatch)', () => {
    const { api } = shop();
    api.service!.addJsonPatch(JsonPatch.add('/spec/ports/0/targetPort', 9090));
    expect(api.service!.toJson().spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 9090 }]);
  });
});

describe('the typed rendering loses no field', () => {
  test('a securityContext field Kubernetes 1.28 does not have is refused, not silently left out', () => {
    const { chart } = newChart();
    const securityContext = { runAsNonRoot: true, appArmorProfile: { type: 'RuntimeDefault' } };
    expectMeshError(() => new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'api:1', securityContext } } }),
      'test/api', 'spec.template.spec.containers[0].securityContext.appArmorProfile',
      'the Kubernetes 1.28 Deployment this library writes has no such field', 'Fix: remove it, or write it with a JSON patch');
  });

  test('every securityContext field of the type is written, nested ones included', () => {
    const { chart } = newChart();
    const securityContext = {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
      seLinuxOptions: { level: 's0:c123,c456' },
    };
    new MeshService(chart, 'api', { port: 8080, versions: { v1: { image: 'api:1', securityContext } } });
    expect(container(findDoc(docsOf(chart), 'Deployment', 'api-v1')).securityContext).toEqual(securityContext);
  });

  test('droppedFields names what a conversion left out, by path, and treats Quantity-like values as leaves', () => {
    expect(droppedFields({ a: 1, b: { c: [{ d: 1, e: 2 }] }, f: undefined }, { a: 1, b: { c: [{ d: 1 }] } })).toEqual(['b.c[0].e']);
    expect(droppedFields({ q: new Date(0) }, { q: 'x' })).toEqual([]);
    expect(droppedFields({ a: { b: 1 } }, {})).toEqual(['a']);
  });
});
