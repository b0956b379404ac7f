import { App, Chart } from 'cdk8s';
import { MeshNamespace, MeshService, VirtualService } from '../lib';

/** Services per namespace (and per chart) in the generated meshes. */
export const SERVICES_PER_NAMESPACE = 10;

/**
 * A generated mesh of `size` services for the benchmark, built with the library: namespaces of 10
 * services, one chart (one file) each. Every service has two versions (a Deployment each), a
 * Service, a ServiceAccount, a VirtualService splitting 90/10 between the versions (so a
 * DestinationRule with both subsets) and an AuthorizationPolicy allowing the previous service.
 */
export function generatedMesh(size: number): App {
  const app = new App();
  let chart: Chart | undefined;
  let previous: MeshService | undefined;
  for (let i = 0; i < size; i++) {
    if (i % SERVICES_PER_NAMESPACE === 0) {
      const namespace = `team-${i / SERVICES_PER_NAMESPACE}`;
      chart = new Chart(app, namespace, { namespace });
      new MeshNamespace(chart, namespace);
      previous = undefined;
    }
    const service = new MeshService(chart!, `svc-${i}`, {
      port: 8080,
      versions: {
        v1: { image: 'hashicorp/http-echo:1.0.0', args: ['-listen=:8080', `-text=svc-${i} v1`] },
        v2: { image: 'hashicorp/http-echo:1.0.0', args: ['-listen=:8080', `-text=svc-${i} v2`] },
      },
    });
    new VirtualService(chart!, `svc-${i}-route`, {
      name: service.name, hosts: [service], http: [{ to: [service.version('v1').withWeight(90), service.version('v2').withWeight(10)] }],
    });
    service.allowFrom(previous ?? service);
    previous = service;
  }
  return app;
}
