import { IConstruct } from 'constructs';
import { MeshConfigError } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import type { IRoutableService } from '../core/workload-refs';
import { kubeService } from '../workload/kube-objects';
import { servicePortsOf } from '../workload/service-port';

/**
 * The name of the Service `<service>-<version>` that selects one version's pods (`app` and
 * `version` labels, the service's ports), as Istio's bookinfo-versions.yaml: what a Gateway API
 * backendRef names instead of a DestinationRule subset. Created beside the service's own Service
 * (a child of the MeshService, so in its chart) the first time a route names the version.
 *
 * @param scope the route naming the version (reported in errors)
 * @param field the route field naming it
 */
export function versionService(scope: IConstruct, field: string, service: IRoutableService, version: string): string {
  if (!service.versionNames.includes(version)) {
    throw new MeshConfigError(scope, field,
      `"${version}" is not a version of MeshService ${service.node.path} (it has ${service.versionNames.join(', ') || 'none'})`,
      `route to one of ${service.versionNames.join(', ')}, or add the version to the service's versions`);
  }
  const name = checkDnsLabel(scope, field, `${service.name}-${version}`);
  const id = `VersionService-${version}`;
  if (service.node.tryFindChild(id) === undefined) {
    kubeService(service, id, {
      metadata: { name },
      spec: { ports: servicePortsOf(service.ports), selector: { ...service.selectorLabels, version } },
    });
  }
  return name;
}
