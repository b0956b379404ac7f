import type { ValidateFunction } from 'ajv';
import { describeAjvErrors } from './ajv-errors';
import { schemaValidator } from './ajv-validator';
import type { NameFormat } from './metadata';
import type { FieldProblem } from './violation';
import type { KubernetesSchemas } from '../../../imports/kubernetes-schemas';

/** Kinds whose names are not DNS-1123 subdomains. */
const NAME_FORMATS: Readonly<Record<string, NameFormat>> = {
  'v1/Namespace': 'dns1123Label',
  'v1/Service': 'dns1035Label',
};

let schemas: KubernetesSchemas | undefined;

/** The Kubernetes schemas, parsed on first use (120 KB of JSON that `require('cdk8s-istio')` should not pay for). */
function kubernetesSchemas(): KubernetesSchemas {
  schemas ??= (require('../../../imports/kubernetes-schemas') as typeof import('../../../imports/kubernetes-schemas')).KUBERNETES_SCHEMAS;
  return schemas;
}

/** Compiled validators by `apiVersion/kind`, compiled (or loaded from the cache) on first use. */
const validators = new Map<string, ValidateFunction>();

/**
 * The schema definition name of a built-in Kubernetes kind (imports/kubernetes-schemas.ts, generated
 * by `npm run import`), or undefined when the validator has no schema for it.
 */
export function kubernetesKind(apiVersion: string, kind: string): string | undefined {
  const key = `${apiVersion}/${kind}`;
  return Object.prototype.hasOwnProperty.call(kubernetesSchemas().kinds, key) ? kubernetesSchemas().kinds[key] : undefined;
}

/** The format `metadata.name` must have for a Kubernetes kind. */
export function kubernetesNameFormat(apiVersion: string, kind: string): NameFormat {
  return NAME_FORMATS[`${apiVersion}/${kind}`] ?? 'dns1123Subdomain';
}

/**
 * Validates a document of a built-in Kubernetes kind (definition from {@link kubernetesKind}) as
 * the API server does with strict field validation: types (integers, int32 ranges, int-or-string,
 * quantities), required fields, enums, and unknown fields anywhere except in free-form objects.
 * Unknown metadata fields are reported by the metadata check instead.
 */
export function validateKubernetesDocument(doc: Record<string, unknown>, definition: string): FieldProblem[] {
  let validate = validators.get(definition);
  if (validate === undefined) {
    validate = schemaValidator({ $ref: `#/definitions/${definition}`, definitions: kubernetesSchemas().definitions });
    validators.set(definition, validate);
  }
  if (validate(doc)) return [];
  return describeAjvErrors(doc, validate.errors ?? []).map(({ path, message }) => ({ path, message, source: 'kubernetes' }));
}
