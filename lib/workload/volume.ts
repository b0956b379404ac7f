/** Where a mounted volume's contents come from. */
export class VolumeSource {
  /** An empty directory that lives as long as the pod. */
  public static emptyDir(): VolumeSource {
    return new VolumeSource({ emptyDir: {} });
  }

  /** The keys of the Secret `secretName` as files (referenced by name; never inlined). */
  public static secret(secretName: string): VolumeSource {
    return new VolumeSource({ secret: { secretName } });
  }

  /** The keys of the ConfigMap `configMapName` as files. */
  public static configMap(configMapName: string): VolumeSource {
    return new VolumeSource({ configMap: { name: configMapName } });
  }

  /** The PersistentVolumeClaim `claimName`. */
  public static persistentVolumeClaim(claimName: string): VolumeSource {
    return new VolumeSource({ persistentVolumeClaim: { claimName } });
  }

  private constructor(private readonly json: Record<string, unknown>) {}

  /** @internal The pod `volumes` entry for a volume called `name`. */
  public _toVolume(name: string): Record<string, unknown> {
    return { name, ...this.json };
  }
}

/** A volume mounted into a workload's container. */
export interface VolumeMount {
  /** The volume name, unique within the pod. */
  readonly name: string;
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /**
   * The volume's contents.
   * @default VolumeSource.emptyDir()
   */
  readonly source?: VolumeSource;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}
