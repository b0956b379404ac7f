import { childPath, objectAt } from '../admission/rule';
import type { AnalysisInput } from '../analysis/mesh-index';
import { containsPemPrivateKey } from '../core/secret-material';

/**
 * A step of the synth pipeline, after the schema check: nothing written into the manifests may
 * hold a secret value. A Secret with `data` or `stringData` and a PEM private key in any string of
 * any document (a ConfigMap, an annotation, an env value) fail the synthesis; the analyze command
 * reads manifests that are already written and does not run this step. Messages name the field,
 * never the value.
 */
export function secretValueProblems(inputs: readonly AnalysisInput[]): string[] {
  const problems: string[] = [];
  for (const { doc, constructPath } of inputs) {
    const where = `${constructPath ?? `${doc.kind}/${objectAt(doc.metadata)?.name}`}: `;
    if (doc.apiVersion === 'v1' && doc.kind === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const values = objectAt(doc[field]);
        if (values && Object.keys(values).length > 0) {
          const name = objectAt(doc.metadata)?.name;
          problems.push(`${where}${field}: Secret "${name}" holds secret values (${Object.keys(values).join(', ')}), `
            + 'which would be written into the manifests. Fix: create the Secret in the cluster (kubectl create secret, or a secrets '
            + 'operator such as External Secrets or Sealed Secrets) and keep only references to it by name in the app');
        }
      }
    }
    if (!holdsPemMarker(doc)) continue;
    for (const field of pemPrivateKeyFields(doc, '')) {
      problems.push(`${where}${field}: the value holds a PEM private key, which would be written into the manifests. `
        + 'Fix: keep keys in a Secret created in the cluster and reference it by name (credentialName, secretKeyRef, a Secret volume)');
    }
  }
  return problems;
}

/** Whether any string under `value` holds a PEM marker: a walk that builds nothing, as almost no document has one. */
function holdsPemMarker(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('-----BEGIN');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsPemMarker);
  for (const key in value) if (holdsPemMarker((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** The paths of the strings under `value` that hold a PEM private key. */
function pemPrivateKeyFields(value: unknown, path: string): string[] {
  if (typeof value === 'string') return containsPemPrivateKey(value) ? [path || '(document)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => pemPrivateKeyFields(item, childPath(path, i)));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => pemPrivateKeyFields(item, childPath(path, key)));
  }
  return [];
}
