import * as fs from 'fs';
import * as path from 'path';
import { StoreContents, appendToStore, readStore, removeAbandonedTemporaries, removeAllButNewest, writeStore } from './verdict-store';
import type { SchemaViolation } from './violation';
import { cacheFolder } from '../../core/code-cache';
import { codeDigest } from '../../core/code-digest';
import { documentDigest } from '../../core/document-digest';

/**
 * A persistent cache of schema verdicts for the synth, so that re-synthesizing documents that did
 * not change skips their validation, and loads no validator at all when every document hits.
 *
 * - Key: the SHA-256 of a document's full JSON. The cache file is named after a digest of
 *   everything else a verdict depends on: the content of every source file of the validator
 *   (lib/analysis/schema, lib/admission, lib/core, the schema modules in imports/; from the package's
 *   bundles, the bundle and build/cel.js beside it), the versions of
 *   ajv, @bufbuild/cel, @bufbuild/protobuf and re2js, and Node's. Any change there starts a new, empty cache, so a
 *   verdict is never stale; when one is written, only the {@link KEPT_DIGESTS} most recent files are kept.
 * - Value: `validateDocument`'s violations (usually none); also whether each apiVersion/kind has a schema.
 * - Where: `node_modules/.cache/cdk8s-istio/` ({@link cacheFolder}: the working directory's, else the
 *   one beside the installed package), with the compiled validators; none with `CDK8S_ISTIO_CACHE=off`.
 * - Bounded: at most {@link MAX_ENTRIES} documents; past that, only the current run's are kept.
 * - The file (verdict-store.ts): parsed once per version by a process, so later syntheses in it (a
 *   snapshot test suite) do not parse it again; new verdicts spliced in; written atomically (a
 *   temporary file renamed into place); a damaged or unreadable file counts as empty.
 */
export class VerdictCache {
  /** The cache of the working directory's {@link cacheFolder}, or undefined when caching is off or there is nowhere to keep it. */
  public static open(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): VerdictCache | undefined {
    const dir = cacheFolder(cwd, env);
    return dir === undefined ? undefined : new VerdictCache(dir, validatorDigest());
  }

  private readonly file: string;
  /** The store as it was read (this process keeps it for its next synthesis, with the verdicts saved since). */
  private readonly stored: StoreContents;
  private readonly used = new Map<string, readonly SchemaViolation[]>();
  private readonly kinds = new Map<string, boolean>();
  private kindsChanged = false;
  private added = 0;

  private constructor(private readonly dir: string, digest: string) {
    this.file = path.join(dir, `verdicts-${digest}.json`);
    this.stored = readStore(this.file);
  }

  /** The key of a document: the digest of its JSON. */
  public keyOf(doc: object): string {
    return documentDigest(doc).sha256;
  }

  /** The stored verdict of a document by its key, if any. */
  public verdict(key: string): readonly SchemaViolation[] | undefined {
    const found = this.used.get(key) ?? this.storedVerdict(key);
    if (found !== undefined) this.used.set(key, found);
    return found;
  }

  /** Records the verdict of a document checked in this run. */
  public remember(key: string, violations: readonly SchemaViolation[]): void {
    this.used.set(key, violations);
    this.added++;
  }

  /** Whether an apiVersion/kind has a schema, if known. */
  public hasSchema(apiVersionKind: string): boolean | undefined {
    const { kinds } = this.stored;
    const stored = Object.prototype.hasOwnProperty.call(kinds, apiVersionKind) ? kinds[apiVersionKind] : undefined;
    return this.kinds.get(apiVersionKind) ?? stored;
  }

  /** Records whether an apiVersion/kind has a schema. */
  public rememberKind(apiVersionKind: string, known: boolean): void {
    if (this.hasSchema(apiVersionKind) !== known) {
      this.added++;
      this.kindsChanged = true;
    }
    this.kinds.set(apiVersionKind, known);
  }

  /**
   * Writes what this run added (nothing when every verdict came from the cache): spliced into the
   * file as it was read, else the file written whole. A write that fails is skipped.
   */
  public save(): void {
    if (this.added === 0) return;
    this.added = 0;
    const fresh = [...this.used].filter(([key]) => this.storedVerdict(key) === undefined);
    if (fresh.length === 0 && !this.kindsChanged) return;
    const full = this.stored.count + fresh.length > MAX_ENTRIES;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      if (this.kindsChanged || full || !appendToStore(this.file, this.stored, fresh)) {
        // past MAX_ENTRIES, only this run's verdicts are kept
        const documents: Record<string, readonly SchemaViolation[]> = full ? {} : { ...this.stored.documents };
        for (const [key, violations] of this.used) documents[key] = violations;
        writeStore(this.file, documents, { ...this.stored.kinds, ...Object.fromEntries(this.kinds) });
        this.kindsChanged = false;
      }
      removeOldStores(this.dir);
    } catch {
      // a read-only tree: the next run validates again
    }
  }

  /** The stored verdict of a key; a damaged entry (not a list of violations) counts as none. */
  private storedVerdict(key: string): readonly SchemaViolation[] | undefined {
    const { documents } = this.stored;
    if (!Object.prototype.hasOwnProperty.call(documents, key)) return undefined;
    const violations: unknown = documents[key];
    return Array.isArray(violations) && violations.every(isViolation) ? violations : undefined;
  }
}

function isViolation(value: unknown): value is SchemaViolation {
  const v = value as Partial<SchemaViolation> | null;
  return typeof v === 'object' && v !== null && typeof v.path === 'string' && typeof v.message === 'string' && typeof v.kind === 'string';
}

/**
 * How many cache files (digests) are kept, the most recently written: one checkout runs the
 * validator as several builds — the bundled package, build/lib, the TypeScript sources under
 * jest — each with its own digest, and keeping only one made each of them discard the others'.
 */
export const KEPT_DIGESTS = 4;

/** Removes all but the {@link KEPT_DIGESTS} most recently written cache files of `dir`, and abandoned temporary files. */
function removeOldStores(dir: string): void {
  const names = fs.readdirSync(dir);
  removeAbandonedTemporaries(dir, names);
  removeAllButNewest(dir, names.filter(name => /^verdicts-.*\.json$/.test(name)), KEPT_DIGESTS);
}

/** At most this many documents' verdicts are kept (about 100 bytes each). */
export const MAX_ENTRIES = 100_000;

/** The folders of lib/ whose files decide a verdict (besides the schema modules), and the packages. */
const VALIDATOR_FOLDERS = [path.join('analysis', 'schema'), 'admission', 'core'];
/** The packages the validator runs on. */
export const VALIDATOR_PACKAGES = ['ajv', '@bufbuild/cel', '@bufbuild/protobuf', 're2js'];

/** A digest of everything besides the document that decides its verdict (computed once per process). */
function validatorDigest(): string {
  return codeDigest(VALIDATOR_FOLDERS, VALIDATOR_PACKAGES);
}
