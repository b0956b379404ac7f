/** The namespace labels that enroll a namespace in the mesh (sidecar injection, a revision, ambient). */
export const MESH_ENROLLMENT_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'] as const;
