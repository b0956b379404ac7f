import {
  ApiObject, ApiObjectMetadata, ApiObjectMetadataDefinition, ApiObjectProps, App, GroupVersionKind, ImplicitTokenResolver, JsonPatch,
  Lazy, LazyResolver, NumberStringUnionResolver,
} from 'cdk8s';
import { Construct } from 'constructs';

/**
 * The API object every library construct emits: its props are already Kubernetes JSON (a generated
 * `toJson_…` conversion ran when they were made), so rendering is resolution of its `Lazy` values,
 * dropping empty values and sorting keys — what cdk8s's `ApiObject.toJson()` does, in one walk.
 *
 * cdk8s's own rendering resolves every value through the app's resolvers (finding the app again
 * for each) and then copies the result once more to sort it; for the objects of a large mesh that
 * is most of the synth. The walk here gives the same document, and the object falls back to
 * cdk8s's rendering whenever the result could differ: an app with resolvers of its own, an object
 * with JSON patches, or a value the walk does not know (anything but plain data, `Lazy` values and
 * implicit tokens, e.g. a class instance cdk8s reports as an error).
 */
export class LibraryApiObject extends ApiObject {
  private patched = false;

  /**
   * @param scope the construct scope
   * @param id the construct id
   * @param manifest the object as Kubernetes JSON (values may be `Lazy`)
   */
  constructor(scope: Construct, id: string, private readonly manifest: ApiObjectProps) {
    super(scope, id, manifest);
  }

  /** As `ApiObject.addJsonPatch`; the object is then rendered by cdk8s, which applies the patches. */
  public override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** The object as Kubernetes JSON, identical to what cdk8s's `ApiObject.toJson()` renders. */
  public override toJson(): any {
    if (this.patched || !hasOnlyBuiltInResolvers(App.of(this))) return super.toJson();
    let json: unknown;
    try {
      const metadata = renderedMetadata(this.metadata);
      if (metadata === NOT_PLAIN) return super.toJson();
      json = plain({ ...this.manifest, metadata }, !process.env.CDK8S_DISABLE_SORT);
    } catch {
      return super.toJson(); // cdk8s renders it again and reports the error with the construct path
    }
    if (json === NOT_PLAIN) return super.toJson();
    const { apiVersion, kind, metadata, ...rest } = json as Record<string, unknown>;
    return { apiVersion, kind, metadata, ...rest };
  }
}

/**
 * A library object of a generated L1 kind (`kind` is the L1 class): `spec` is typed as the L1
 * spec — given, or computed at synthesis by a function — and converted to JSON at synthesis by
 * the kind's generated `toJson_…Spec`, as the L1 class would convert it.
 */
export function libraryObject<S extends object>(scope: Construct, id: string, kind: { readonly GVK: GroupVersionKind },
  metadata: ApiObjectMetadata, spec: S | (() => S), toJson: (spec: S) => unknown): LibraryApiObject {
  const produce = () => toJson(typeof spec === 'function' ? spec() : spec);
  return new LibraryApiObject(scope, id, { ...kind.GVK, metadata, spec: Lazy.any({ produce }) });
}

/** The fields of cdk8s's `ApiObjectMetadataDefinition` its `toJson()` renders (TypeScript-private, read here). */
interface MetadataFields {
  readonly name?: unknown;
  readonly namespace?: unknown;
  readonly labels?: unknown;
  readonly annotations?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly _additionalAttributes?: unknown;
}

/**
 * What cdk8s's `ApiObjectMetadataDefinition.toJson()` renders — its fields resolved, null,
 * undefined, empty lists and empty objects left out, keys sorted (always, as cdk8s sorts metadata
 * whatever `CDK8S_DISABLE_SORT` says) — in one walk, without cdk8s's resolution finding the app
 * again for every value. {@link NOT_PLAIN} when a field holds something else, or when this
 * version of cdk8s keeps its metadata differently: cdk8s then renders the object.
 */
function renderedMetadata(metadata: ApiObjectMetadataDefinition): unknown {
  const m = metadata as unknown as MetadataFields;
  const record = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!record(m.labels) || !record(m.annotations) || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences)
    || !record(m._additionalAttributes)) return NOT_PLAIN;
  const fields = {
    ...m._additionalAttributes as object,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  };
  return plain(fields, true, true);
}

/** Returned by {@link plain} for a value only cdk8s's own resolution renders. */
const NOT_PLAIN = Symbol('not plain');

/** Whether the app resolves with cdk8s's three built-in resolvers only (an app's own come first). */
function hasOnlyBuiltInResolvers(app: App): boolean {
  const [lazy, implicit, union, ...more] = app.resolvers;
  return more.length === 0 && lazy instanceof LazyResolver && implicit instanceof ImplicitTokenResolver
    && union instanceof NumberStringUnionResolver;
}

/**
 * cdk8s's `resolve` (built-in resolvers: `Lazy` produces, an implicit token's `resolve()`) and
 * `sanitizeValue` (null and undefined left out of objects, keys sorted; with `dropEmpty`, empty
 * lists and objects too, as for metadata) in one walk; {@link NOT_PLAIN} for any other object.
 */
function plain(value: unknown, sortKeys: boolean, dropEmpty = false): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return typeof value === 'function' ? NOT_PLAIN : value;
  if (value instanceof Lazy) return plain(value.produce(), sortKeys, dropEmpty);
  if (Array.isArray(value)) {
    if (dropEmpty && value.length === 0) return undefined;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = plain(value[i], sortKeys, dropEmpty);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.resolve === 'function') return plain((record.resolve as () => unknown)(), sortKeys, dropEmpty);
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
  const keys = Object.keys(record);
  if (sortKeys && !ascending(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key of keys) {
    const item = plain(record[key], sortKeys, dropEmpty);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    if (item !== undefined) {
      out[key] = item;
      empty = false;
    }
  }
  return dropEmpty && empty ? undefined : out;
}

/**
 * Whether `keys` are already in the order `sort()` gives (object keys are distinct): most are, as
 * the generated conversions write members in that order, and `sort()` allocates even then (it was
 * a tenth of the garbage of a large synthesis).
 */
function ascending(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}
