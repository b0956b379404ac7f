import { isPlainObject } from './field-path';
import type { SchemaNode } from './openapi-to-json-schema';

/**
 * The API server's structural defaulting, which runs before validation: every field absent from an
 * object whose schema gives it a `default` gets that value, in objects, array items and map values
 * alike (the Gateway API's `parentRefs[].group`, `backendRefs[].kind`, ...), so that the schema
 * checks and the CEL rules see what the server stores. `status` is left alone: the server drops it
 * on create. Copy on write: `value` is returned itself when nothing needs a default.
 */
export function withStructuralDefaults(value: unknown, schema: SchemaNode): unknown {
  return defaulted(value, schema, true);
}

/** Whether any node of `schema` has a `default` (then documents of its kind are defaulted before validation). */
export function hasDefaults(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasDefaults);
  if (!isPlainObject(schema)) return false;
  return 'default' in schema || Object.values(schema).some(hasDefaults);
}

function defaulted(value: unknown, schema: SchemaNode, root = false): unknown {
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    if (items === undefined) return value;
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = defaulted(item, items);
      if (next !== item) (copy ??= [...value])[i] = next;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const set = (key: string, next: unknown) => {
    (copy ??= { ...value })[key] = next;
  };
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  if (properties !== undefined) {
    for (const [key, sub] of Object.entries(properties)) {
      if (root && key === 'status') continue;
      if (value[key] === undefined) {
        if ('default' in sub) set(key, structuredClone(sub.default));
      } else {
        const next = defaulted(value[key], sub);
        if (next !== value[key]) set(key, next);
      }
    }
  }
  const additional = schema.additionalProperties;
  if (isPlainObject(additional)) {
    for (const [key, item] of Object.entries(value)) {
      if (properties?.[key] !== undefined) continue;
      const next = defaulted(item, additional);
      if (next !== item) set(key, next);
    }
  }
  return copy ?? value;
}
