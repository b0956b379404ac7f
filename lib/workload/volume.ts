import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s';

/** What a volume is made of: one of the Kubernetes volume sources. */
type Source = Pick<K8s.Volume, 'emptyDir' | 'secret' | 'configMap' | 'persistentVolumeClaim'>;

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

  private constructor(private readonly source: Source) {}

  /** @internal The pod `volumes` entry for a volume called `name`. */
  public _toVolume(name: string): K8s.Volume {
    return { name, ...this.source };
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
