/**
 * The value of a container environment variable: a literal, or a reference to a Secret,
 * ConfigMap or pod field. Secret values are referenced by name and key and never written into
 * the synthesized manifests.
 */
export class EnvValue {
  /** A literal value. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** The value of `key` in the Secret `secretName` (in the workload's namespace). */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  /** The value of `key` in the ConfigMap `configMapName` (in the workload's namespace). */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key } } });
  }

  /** A pod field, e.g. `metadata.name` or `status.podIP`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly json: Record<string, unknown>) {}

  /** @internal The container `env` entry for this value. */
  public _toEnvVar(name: string): Record<string, unknown> {
    return { name, ...this.json };
  }
}
