import type { ErrorObject } from 'ajv';
import { describeAjvErrors } from './ajv-errors';
import type { NameFormat } from './metadata';
import type { FieldProblem } from './violation';

/** A kubernetes-models class: a top-level kind carries its `apiVersion` and `kind`. */
export interface ModelClass {
  /** `apiVersion` of the kind, absent on nested types. */
  readonly apiVersion?: string;
  /** `kind` of the kind, absent on nested types. */
  readonly kind?: string;
  /** Wraps the data in a model whose `validate()` throws on a schema error. */
  new (data: unknown): { validate(): void };
}

/** What kubernetes-models' `validate()` throws: a ValidationError carrying the ajv errors. */
interface ModelValidationError {
  readonly errors?: readonly ErrorObject[];
}

const API_VERSION = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*\/)?v\d+(?:(?:alpha|beta)\d+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Kinds whose names are not DNS-1123 subdomains. */
const NAME_FORMATS: Readonly<Record<string, NameFormat>> = {
  'v1/Namespace': 'dns1123Label',
  'v1/Service': 'dns1035Label',
};

/** Model classes by `apiVersion/kind`, loaded on first use; null when kubernetes-models has none. */
const models = new Map<string, ModelClass | null>();

/** The kubernetes-models class of a built-in Kubernetes kind, or null when there is none. */
export function kubernetesModel(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  let model = models.get(key);
  if (model === undefined) {
    model = null;
    if (API_VERSION.test(apiVersion) && KIND.test(kind)) {
      try {
        const candidate = (require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass | undefined>)[kind];
        // Nested types (Container, PodSpec, ...) have modules too, but no apiVersion/kind of their own.
        if (candidate?.apiVersion === apiVersion && candidate.kind === kind) model = candidate;
      } catch (e) {
        if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
      }
    }
    models.set(key, model);
  }
  return model;
}

/** The format `metadata.name` must have for a Kubernetes kind. */
export function kubernetesNameFormat(apiVersion: string, kind: string): NameFormat {
  return NAME_FORMATS[`${apiVersion}/${kind}`] ?? 'dns1123Subdomain';
}

/**
 * Validates a document of a built-in Kubernetes kind with the precompiled validator of its
 * kubernetes-models (4.x) class (from {@link kubernetesModel}): types, required fields, enums,
 * int-or-string. kubernetes-models does NOT reject unknown fields, so a misspelt field in a
 * Deployment or Service passes here although `kubectl apply` with strict field validation rejects it.
 */
export function validateKubernetesDocument(doc: Record<string, unknown>, Model: ModelClass): FieldProblem[] {
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    const errors = (e as ModelValidationError).errors;
    if (errors === undefined) throw e;
    return describeAjvErrors(doc, errors).map(({ path, message }) => ({ path, message, source: 'kubernetes' }));
  }
}
