import { KINDS, WORKLOAD_KINDS } from '../group-kinds';
import { Doc, MeshIndex, Resource } from '../mesh-index';

/** One resource's annotations as one kind of object: its metadata's, or its pod template's (as a Pod). */
export interface AnnotatedObject {
  /** The resource reported on. */
  readonly resource: Resource;
  /** The kind the annotations are on: the resource's, or `Pod` for a pod template. */
  readonly kind: string;
  /** The string-valued annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The field path of the annotations map. */
  readonly path: string;
}

/**
 * The annotations istioctl checks (the metadata of Namespaces, Services, Pods and Deployments),
 * and the pod template annotations of every workload kind, which become the pods' annotations.
 */
export function annotatedObjects(index: MeshIndex): AnnotatedObject[] {
  const out: AnnotatedObject[] = [];
  for (const kind of [KINDS.Namespace, KINDS.Service, KINDS.Pod, KINDS.Deployment]) {
    for (const r of index.ofKind(kind)) out.push({ resource: r, kind: r.kind, annotations: r.annotations, path: 'metadata.annotations' });
  }
  for (const kind of WORKLOAD_KINDS) {
    for (const r of index.ofKind(kind)) {
      const annotations: unknown = (r.spec as Doc).template?.metadata?.annotations;
      if (typeof annotations !== 'object' || annotations === null) continue;
      const strings = Object.fromEntries(Object.entries(annotations).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      out.push({ resource: r, kind: 'Pod', annotations: strings, path: 'spec.template.metadata.annotations' });
    }
  }
  return out;
}

/** The field path of one annotation. */
export function annotationPath(object: AnnotatedObject, name: string): string {
  return `${object.path}['${name}']`;
}
