import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeGiven } from '../core/check';
import { MeshConfigError } from '../core/errors';

/** What a service needs on the pods of a workload it enrolls. */
export interface Enrollment {
  /** The labels the pods must carry: `app`, and `version` for a version. */
  readonly labels: Readonly<Record<string, string>>;
  /** The ServiceAccount the pods must run as. */
  readonly serviceAccountName: string;
  /** The service's namespace. */
  readonly namespace: string;
}

/** Workloads already enrolled into a service (one object cannot be the pods of two). */
const enrolled = new WeakSet<ApiObject>();

/**
 * A workload a {@link MeshService} enrolls instead of building one: an existing `apps/v1`
 * Deployment or StatefulSet written with cdk8s — cdk8s-plus-28's `Deployment` or `StatefulSet`,
 * its `KubeDeployment` or `KubeStatefulSet`, or any `ApiObject` of those kinds. The service adds
 * what the mesh needs to its pod template, the `app` label (and `version` for a version) and
 * `serviceAccountName`, with JSON patches, and leaves the rest of the object, its selector
 * included, as written.
 */
export class WorkloadRef {
  /**
   * The existing Deployment or StatefulSet `workload`: an `ApiObject`, or a construct whose
   * API object is its child `Resource` (every cdk8s-plus workload).
   */
  public static existing(workload: IConstruct): WorkloadRef {
    if (typeof workload !== 'object' || workload === null || !('node' in workload)) {
      throw new Error(`WorkloadRef.existing: workload: must be an ApiObject or a construct holding one, not ${describeGiven(workload)}. `
        + 'Fix: pass the Deployment (or StatefulSet, DaemonSet) construct of the existing workload');
    }
    const object = workload instanceof ApiObject ? workload : workload.node.tryFindChild('Resource');
    if (!(object instanceof ApiObject)) {
      throw new MeshConfigError(workload, 'workload',
        `${workload.node.path} is neither an ApiObject nor a construct with one as its child "Resource"`,
        'pass a cdk8s-plus Deployment or StatefulSet, a KubeDeployment, a KubeStatefulSet or another ApiObject of those kinds');
    }
    return new WorkloadRef(object);
  }

  private constructor(private readonly workload: ApiObject) {}

  /**
   * @internal Adds the labels and ServiceAccount of `enrollment` to the workload's pod template,
   * refusing a workload that cannot carry them (`scope` and `field` locate the error).
   */
  public _enroll(scope: IConstruct, field: string, enrollment: Enrollment): ApiObject {
    const workload = this.workload;
    const kind = `${workload.apiVersion} ${workload.kind}`;
    if (kind !== 'apps/v1 Deployment' && kind !== 'apps/v1 StatefulSet') {
      throw new MeshConfigError(scope, field, `${workload.node.path} is a ${kind}, not a Deployment or StatefulSet`,
        'enroll an apps/v1 Deployment or StatefulSet (a KubeDeployment or KubeStatefulSet)');
    }
    if (enrolled.has(workload)) {
      throw new MeshConfigError(scope, field, `${workload.node.path} is already enrolled into a service`,
        'enroll each workload into one service, as one version');
    }
    const json = workload.toJson();
    const namespace: string | undefined = json.metadata?.namespace;
    if (namespace !== undefined && namespace !== enrollment.namespace) {
      throw new MeshConfigError(scope, `${field}.metadata.namespace`,
        `the workload runs in namespace "${namespace}", the service in "${enrollment.namespace}"`,
        'create the workload in the service\'s chart (or one with the same namespace)');
    }
    const template = json.spec?.template;
    if (template?.spec === undefined) {
      throw new MeshConfigError(scope, `${field}.spec.template.spec`, 'the workload has no pod template',
        'give it spec.template with its containers');
    }
    const labels: Record<string, string> = { ...template.metadata?.labels };
    for (const [key, value] of Object.entries(enrollment.labels)) {
      if (labels[key] !== undefined && labels[key] !== value) {
        throw new MeshConfigError(scope, `${field}.spec.template.metadata.labels.${key}`,
          `the pods are labelled ${key}: ${labels[key]}, and the service needs ${key}: ${value}`,
          `remove the "${key}" label from the workload (the service adds it), or enroll it into the service "${labels[key]}"`);
      }
      labels[key] = value;
    }
    const selector: Record<string, string> = json.spec.selector?.matchLabels ?? {};
    const given = Object.entries(enrollment.labels).map(([k, v]) => `${k}: ${v}`).join(', ');
    if (Object.keys(selector).length === 0 && !(json.spec.selector?.matchExpressions?.length > 0)) {
      throw new MeshConfigError(scope, `${field}.spec.selector`, 'the workload\'s selector is empty, which the API server refuses',
        `select its pods by the labels the service gives them: matchLabels: { ${given} }`);
    }
    for (const [key, value] of Object.entries(selector)) {
      if (labels[key] !== value) {
        const pods = labels[key] === undefined ? 'have no such label' : `are labelled ${key}: ${labels[key]}`;
        throw new MeshConfigError(scope, `${field}.spec.selector.matchLabels.${key}`,
          `the selector needs ${key}: ${value}, and the pods ${pods}`,
          `select the pods by labels they carry (the service gives them ${given})`);
      }
    }
    const version = enrollment.labels.version;
    if (version !== undefined && selector.version !== version) {
      throw new MeshConfigError(scope, `${field}.spec.selector.matchLabels.version`,
        `the selector does not pick version ${version}, so it would also select the pods of the service's other versions`,
        `add version: ${version} to the workload's selector matchLabels, `
        + 'or enroll it as the service\'s only workload (workload: WorkloadRef.existing(...))');
    }
    const account: string | undefined = template.spec.serviceAccountName ?? template.spec.serviceAccount;
    if (account !== undefined && account !== enrollment.serviceAccountName) {
      throw new MeshConfigError(scope, `${field}.spec.template.spec.serviceAccountName`,
        `the pods run as ServiceAccount "${account}", and the service's is "${enrollment.serviceAccountName}"`,
        `set serviceAccount: ServiceAccountRef.existing('${account}') on the service, or remove serviceAccountName from the workload`);
    }
    workload.addJsonPatch(
      template.metadata === undefined
        ? JsonPatch.add('/spec/template/metadata', { labels })
        : JsonPatch.add('/spec/template/metadata/labels', labels),
      JsonPatch.add('/spec/template/spec/serviceAccountName', enrollment.serviceAccountName),
    );
    enrolled.add(workload);
    return workload;
  }
}
