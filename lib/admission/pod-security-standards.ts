/**
 * The controls of the Kubernetes Pod Security Standards' `restricted` profile (which includes the
 * `baseline` profile), as the Pod Security admission controller of Kubernetes 1.28+ checks them on
 * a Pod or a workload's pod template — offline, over synthesized documents. AppArmor annotations
 * and SELinux options are not checked.
 */

/** One control of the restricted profile that a pod or container of a document fails. */
export interface PodSecurityViolation {
  /** `Kind/name` of the document, e.g. `Deployment/reviews-v1`. */
  readonly resource: string;
  /** Its namespace (empty when the document sets none). */
  readonly namespace: string;
  /** The control's name in the Pod Security Standards, e.g. `Running as Non-root`. */
  readonly control: string;
  /** The container it is about; undefined for a pod-level field (host namespaces, volumes, sysctls). */
  readonly container?: string;
  /** The field that fails it, e.g. `spec.template.spec.containers[0].securityContext.runAsNonRoot`. */
  readonly field: string;
  /** What is wrong and what the control wants. */
  readonly problem: string;
}

type Json = Record<string, any>;

const POD_TEMPLATE_AT: Readonly<Record<string, string>> = {
  Pod: '',
  Deployment: 'spec.template',
  StatefulSet: 'spec.template',
  DaemonSet: 'spec.template',
  ReplicaSet: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
  ReplicationController: 'spec.template',
};
const ALLOWED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const CONFINED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

/** The pod spec of a Pod or a workload's pod template, with the path it is at. */
export interface PodSpecAt {
  /** The document, e.g. a Deployment. */
  readonly doc: Json;
  /** The pod spec. */
  readonly spec: Json;
  /** Its path in the document, e.g. `spec.template.spec`. */
  readonly path: string;
}

/** The pod specs of `docs` (Pods and workloads), in document order; other kinds are skipped. */
export function podSpecsOf(docs: readonly unknown[]): PodSpecAt[] {
  const found: PodSpecAt[] = [];
  for (const doc of docs) {
    if (!doc || typeof doc !== 'object') continue;
    const d = doc as Json;
    const at = POD_TEMPLATE_AT[d.kind];
    if (at === undefined) continue;
    const template = at === '' ? d : at.split('.').reduce<Json | undefined>((o, k) => o?.[k], d);
    const spec = template?.spec;
    if (spec && typeof spec === 'object') found.push({ doc: d, spec, path: at === '' ? 'spec' : `${at}.spec` });
  }
  return found;
}

/** The lists of containers of a pod spec, in the order the kubelet starts them. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every restricted-profile control failed by the pods of `docs`, in document and container order.
 * Use it in a test to hold a chart to the profile: `expect(podSecurityViolations(chart.toJson())).toEqual([])`.
 */
export function podSecurityViolations(docs: readonly unknown[]): PodSecurityViolation[] {
  const violations: PodSecurityViolation[] = [];
  for (const { doc, spec, path } of podSpecsOf(docs)) {
    const base = { resource: `${doc.kind}/${doc.metadata?.name}`, namespace: doc.metadata?.namespace ?? '' };
    checkPod(spec, path, (control, field, problem, container) =>
      violations.push({ ...base, control, ...(container !== undefined && { container }), field, problem }));
  }
  return violations;
}

type Report = (control: string, field: string, problem: string, container?: string) => void;

function checkPod(spec: Json, path: string, report: Report): void {
  const pod: Json = spec.securityContext ?? {};
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[key] === true) report('Host Namespaces', `${path}.${key}`, `${key} is true; it must be unset or false`);
  }
  if (pod.windowsOptions?.hostProcess === true) {
    report('HostProcess', `${path}.securityContext.windowsOptions.hostProcess`, 'is true; it must be unset or false');
  }
  (spec.volumes ?? []).forEach((v: Json, i: number) => {
    const type = Object.keys(v).find(k => k !== 'name');
    if (type !== undefined && !ALLOWED_VOLUME_TYPES.has(type)) {
      report(type === 'hostPath' ? 'HostPath Volumes' : 'Volume Types', `${path}.volumes[${i}].${type}`,
        `a ${type} volume; allowed: ${[...ALLOWED_VOLUME_TYPES].join(', ')}`);
    }
  });
  (pod.sysctls ?? []).forEach((s: Json, i: number) => {
    if (!SAFE_SYSCTLS.has(s.name)) report('Sysctls', `${path}.securityContext.sysctls[${i}].name`, `"${s.name}" is not a safe sysctl`);
  });
  if (pod.seccompProfile?.type === 'Unconfined') {
    report('Seccomp', `${path}.securityContext.seccompProfile.type`, 'is Unconfined; use RuntimeDefault or Localhost');
  }
  if (pod.runAsUser === 0) report('Running as Non-root user', `${path}.securityContext.runAsUser`, 'is 0 (root); use a non-zero user id');
  for (const list of CONTAINER_LISTS) {
    (spec[list] ?? []).forEach((c: Json, i: number) => checkContainer(c, `${path}.${list}[${i}]`, pod,
      (control, field, problem) => report(control, field, problem, c.name)));
  }
}

function checkContainer(container: Json, path: string, pod: Json, report: Report): void {
  const sc: Json = container.securityContext ?? {};
  const at = `${path}.securityContext`;
  if (sc.privileged === true) report('Privileged Containers', `${at}.privileged`, 'is true; it must be unset or false');
  if (sc.windowsOptions?.hostProcess === true) {
    report('HostProcess', `${at}.windowsOptions.hostProcess`, 'is true; it must be unset or false');
  }
  if (sc.procMount !== undefined && sc.procMount !== 'Default') {
    report('/proc Mount Type', `${at}.procMount`, `is ${sc.procMount}; use Default`);
  }
  (container.ports ?? []).forEach((p: Json, i: number) => {
    if (p.hostPort) report('Host Ports', `${path}.ports[${i}].hostPort`, `is ${p.hostPort}; it must be unset or 0`);
  });
  if (sc.allowPrivilegeEscalation !== false) {
    report('Privilege Escalation', `${at}.allowPrivilegeEscalation`, 'must be false');
  }
  if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
    report('Running as Non-root', `${at}.runAsNonRoot`, 'must be true in the container or the pod security context');
  }
  if (sc.runAsUser === 0) report('Running as Non-root user', `${at}.runAsUser`, 'is 0 (root); use a non-zero user id');
  const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
  if (!CONFINED_SECCOMP.has(seccomp)) {
    const now = seccomp === undefined ? 'is unset' : `is ${seccomp}`;
    report('Seccomp', `${at}.seccompProfile.type`, `${now} (container and pod); use RuntimeDefault or Localhost`);
  }
  const drop: unknown[] = sc.capabilities?.drop ?? [];
  if (!drop.includes('ALL')) report('Capabilities', `${at}.capabilities.drop`, 'must include ALL');
  const added: unknown[] = sc.capabilities?.add ?? [];
  added.forEach((cap, i) => {
    if (cap !== 'NET_BIND_SERVICE') {
      report('Capabilities', `${at}.capabilities.add[${i}]`, `adds ${String(cap)}; only NET_BIND_SERVICE may be added`);
    }
  });
}
