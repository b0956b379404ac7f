import { AdmissionRule, CONTROLLER_KINDS, Json, Report, childPath, entriesOf, objectAt, objectsIn } from './rule';
import { PORT_FIX, checkAnnotationKeys, checkLabelMap } from './shared-checks';
import { isConfigKey } from '../core/config-key';
import { imageProblem, isEnvVarName } from '../core/containers';
import { isDnsLabel, isDnsSubdomain, isIanaSvcName } from '../core/dns';
import { isPortNumber } from '../core/network';
import { quantityValue } from '../core/quantity';

/**
 * What the API server's pod validation refuses in a Pod or a workload's pod template: names of
 * containers, volumes, ports and environment variables; mounts of volumes that do not exist;
 * probe ports; resource quantities and requests above limits; image references; negative replicas.
 */
export const podTemplateRules: AdmissionRule = {
  kinds: ['/Pod', ...CONTROLLER_KINDS],
  check(doc, report) {
    const spec = objectAt(doc.spec);
    if (spec === undefined) return;
    if (doc.kind === 'Pod') {
      checkPodSpec(spec, 'spec', report);
      return;
    }
    if (spec.replicas !== undefined && !(Number.isInteger(spec.replicas) && (spec.replicas as number) >= 0)) {
      report('spec.replicas', `${JSON.stringify(spec.replicas)} is not a number of pods`, 'use a whole number, 0 or more');
    }
    checkLabelMap(objectAt(spec.selector)?.matchLabels, 'spec.selector.matchLabels', report);
    const templatePath = doc.kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
    const template = doc.kind === 'CronJob' ? objectAt(objectAt(objectAt(spec.jobTemplate)?.spec)?.template) : objectAt(spec.template);
    if (template === undefined) return;
    const metadata = objectAt(template.metadata);
    checkLabelMap(metadata?.labels, `${templatePath}.metadata.labels`, report);
    checkAnnotationKeys(metadata?.annotations, `${templatePath}.metadata.annotations`, report);
    const podSpec = objectAt(template.spec);
    // A StatefulSet's containers also mount its volume claim templates by name.
    const claims = objectsIn(spec.volumeClaimTemplates, 'spec.volumeClaimTemplates').map(([claim]) => objectAt(claim.metadata)?.name)
      .filter((name): name is string => typeof name === 'string');
    if (podSpec !== undefined) checkPodSpec(podSpec, `${templatePath}.spec`, report, claims);
  },
};

const DNS_LABEL_FIX = 'use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit';

function checkPodSpec(spec: Json, path: string, report: Report, claims: readonly string[] = []): void {
  const volumes = new Set<string>(claims);
  for (const [volume, volumePath] of objectsIn(spec.volumes, childPath(path, 'volumes'))) {
    if (typeof volume.name !== 'string') continue;
    if (!isDnsLabel(volume.name)) {
      report(childPath(volumePath, 'name'),
        `volume name ${JSON.stringify(volume.name)} is not a DNS-1123 label`, DNS_LABEL_FIX);
    }
    if (volumes.has(volume.name)) {
      report(childPath(volumePath, 'name'), `volume "${volume.name}" is defined twice`,
        'give each volume its own name');
    }
    volumes.add(volume.name);
  }
  const names = new Set<string>();
  for (const list of ['initContainers', 'containers']) {
    for (const [container, containerPath] of objectsIn(spec[list], childPath(path, list))) {
      if (typeof container.name === 'string') {
        const namePath = childPath(containerPath, 'name');
        if (!isDnsLabel(container.name)) {
          report(namePath, `container name ${JSON.stringify(container.name)} is not a DNS-1123 label`,
            DNS_LABEL_FIX);
        }
        if (names.has(container.name)) {
          report(namePath, `container "${container.name}" is defined twice in the pod`,
            'give each container its own name');
        }
        names.add(container.name);
      }
      if (typeof container.image !== 'string' || container.image.trim() === '') {
        report(childPath(containerPath, 'image'), 'the container has no image',
          'give it an image reference, e.g. "registry.example.com/org/app:1.0"');
      }
      checkContainer(container, containerPath, volumes, report);
    }
  }
}

function checkContainer(container: Json, path: string, volumes: ReadonlySet<string>, report: Report): void {
  if (typeof container.image === 'string') {
    const problem = imageProblem(container.image);
    if (problem !== undefined) {
      report(childPath(path, 'image'), problem,
        'use a reference such as "registry.example.com/org/app:1.0" (lower-case repository, no spaces)');
    }
  }
  for (const [env, envPath] of objectsIn(container.env, childPath(path, 'env'))) {
    if (typeof env.name === 'string' && !isEnvVarName(env.name)) {
      report(childPath(envPath, 'name'), `${JSON.stringify(env.name)} is not a valid environment variable name`,
        'use letters, digits, "_", "-" and ".", not starting with a digit (no "=" or spaces)');
    }
    checkEnvSource(objectAt(env.valueFrom), childPath(envPath, 'valueFrom'), report);
  }
  const portNames = new Set<string>();
  for (const [port, portPath] of objectsIn(container.ports, childPath(path, 'ports'))) {
    if (port.containerPort !== undefined && !isPortNumber(port.containerPort)) {
      report(childPath(portPath, 'containerPort'), `${JSON.stringify(port.containerPort)} is not a port number`, PORT_FIX);
    }
    if (port.hostPort !== undefined && port.hostPort !== 0 && !isPortNumber(port.hostPort)) {
      report(childPath(portPath, 'hostPort'), `${JSON.stringify(port.hostPort)} is not a port number`, PORT_FIX);
    }
    if (typeof port.name !== 'string') continue;
    const namePath = childPath(portPath, 'name');
    if (!isIanaSvcName(port.name)) {
      report(namePath, `port name ${JSON.stringify(port.name)} is not an IANA service name`,
        'use at most 15 lower-case letters, digits and "-", with at least one letter and no "--"');
    }
    if (portNames.has(port.name)) {
      report(namePath, `port name "${port.name}" is used twice in the container`,
        'give each port its own name');
    }
    portNames.add(port.name);
  }
  const mountedAt = new Set<string>();
  for (const [mount, mountPath] of objectsIn(container.volumeMounts, childPath(path, 'volumeMounts'))) {
    if (typeof mount.name === 'string' && !volumes.has(mount.name)) {
      report(childPath(mountPath, 'name'), `no volume named "${mount.name}" in the pod`,
        `add a volume named "${mount.name}", or mount one of the pod's volumes`);
    }
    if (typeof mount.mountPath !== 'string') continue;
    if (mountedAt.has(mount.mountPath)) {
      report(childPath(mountPath, 'mountPath'), `${JSON.stringify(mount.mountPath)} is mounted twice in the container`,
        'mount each volume at a path of its own (or one volume with subPath entries)');
    }
    mountedAt.add(mount.mountPath);
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    checkProbe(objectAt(container[probe]), childPath(path, probe), portNames, report);
  }
  checkResources(objectAt(container.resources), childPath(path, 'resources'), report);
  checkSecurityContext(objectAt(container.securityContext), childPath(path, 'securityContext'), report);
}

/** The API server refuses `allowPrivilegeEscalation: false` beside what escalates anyway: `privileged` or the SYS_ADMIN capability. */
function checkSecurityContext(context: Json | undefined, path: string, report: Report): void {
  if (context?.allowPrivilegeEscalation !== false) return;
  if (context.privileged === true) {
    report(childPath(path, 'allowPrivilegeEscalation'), 'cannot be false in a privileged container',
      'remove allowPrivilegeEscalation, or remove privileged: true');
  }
  const added = objectAt(context.capabilities)?.add;
  if (Array.isArray(added) && added.some(c => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN')) {
    report(childPath(path, 'allowPrivilegeEscalation'), 'cannot be false in a container that adds the SYS_ADMIN capability',
      'remove allowPrivilegeEscalation, or drop SYS_ADMIN from capabilities.add');
  }
}

/** The fields of its own pod that an env var can read through `fieldRef` (the API server's list). */
const FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations',
  'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);

/** An env var's `valueFrom`: Secret and ConfigMap references by a valid name and key, and a supported field path. */
function checkEnvSource(source: Json | undefined, path: string, report: Report): void {
  if (source === undefined) return;
  for (const [ref, what] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
    const selector = objectAt(source[ref]);
    if (selector === undefined) continue;
    if (typeof selector.name !== 'string' || !isDnsSubdomain(selector.name)) {
      report(childPath(childPath(path, ref), 'name'), `${JSON.stringify(selector.name ?? '')} is not the name of a ${what}`,
        `name the ${what}: a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")`);
    }
    if (typeof selector.key !== 'string' || !isConfigKey(selector.key)) {
      report(childPath(childPath(path, ref), 'key'), `${JSON.stringify(selector.key ?? '')} is not a key of a ${what}`,
        `name the key in the ${what}'s data: letters, digits, "-", "_" and "."`);
    }
  }
  const fieldPath = objectAt(source.fieldRef)?.fieldPath;
  if (typeof fieldPath === 'string' && !FIELD_PATHS.has(fieldPath) && !/^metadata\.(labels|annotations)\['[^']+'\]$/.test(fieldPath)) {
    report(childPath(childPath(path, 'fieldRef'), 'fieldPath'), `${JSON.stringify(fieldPath)} is not a field an env var can read`,
      `use one of ${[...FIELD_PATHS].join(', ')}, or metadata.labels['<key>'] / metadata.annotations['<key>']`);
  }
}

function checkProbe(probe: Json | undefined, path: string, portNames: ReadonlySet<string>, report: Report): void {
  if (probe === undefined) return;
  const exec = objectAt(probe.exec);
  if (exec !== undefined && (!Array.isArray(exec.command) || exec.command.length === 0)) {
    report(childPath(childPath(path, 'exec'), 'command'), 'the exec probe has no command',
      'give the command to run, e.g. ["cat", "/tmp/healthy"]');
  }
  for (const handler of ['httpGet', 'tcpSocket']) {
    const port = objectAt(probe[handler])?.port;
    if (port === undefined) continue;
    const portPath = childPath(childPath(path, handler), 'port');
    if (typeof port === 'string') {
      if (!isIanaSvcName(port)) {
        report(portPath, `${JSON.stringify(port)} is neither a port number nor a port name`,
          'use a container port number (1 to 65535) or the name of a container port');
      } else if (!portNames.has(port)) {
        report(portPath, `no port of the container is named "${port}"`,
          `name one of the container's ports "${port}", or probe a port number`);
      }
    } else if (!isPortNumber(port)) {
      report(portPath, `${JSON.stringify(port)} is not a port number`, PORT_FIX);
    }
  }
  const grpcPort = objectAt(probe.grpc)?.port;
  if (grpcPort !== undefined && !isPortNumber(grpcPort)) {
    report(childPath(childPath(path, 'grpc'), 'port'),
      `${JSON.stringify(grpcPort)} is not a port number`, PORT_FIX);
  }
}

function checkResources(resources: Json | undefined, path: string, report: Report): void {
  if (resources === undefined) return;
  const values = (kind: 'requests' | 'limits') => {
    const out = new Map<string, number>();
    for (const [name, value, valuePath] of entriesOf(resources[kind], childPath(path, kind))) {
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const amount = typeof value === 'number' ? value : quantityValue(value);
      if (amount === undefined) {
        report(valuePath, `${JSON.stringify(value)} is not a Kubernetes quantity`,
          'use e.g. "100m" or "0.5" for CPU, "128Mi" or "1Gi" for memory');
      } else if (amount < 0) {
        report(valuePath, `${JSON.stringify(value)} is negative`, `give a ${kind === 'requests' ? 'request' : 'limit'} of 0 or more`);
      } else {
        out.set(name, amount);
      }
    }
    return out;
  };
  const requests = values('requests');
  const limits = values('limits');
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit !== undefined && request > limit) {
      const shown = (kind: string) => JSON.stringify(objectAt(resources[kind])?.[name]);
      report(childPath(childPath(path, 'requests'), name), `the ${name} request ${shown('requests')} is above its limit ${shown('limits')}`,
        `request at most the limit, or raise the limit to at least ${shown('requests')}`);
    }
  }
}
