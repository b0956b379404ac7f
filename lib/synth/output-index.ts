import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { removeAbandonedTemporaries, removeAllButNewest, writeAtomically } from '../analysis/schema/verdict-store';
import { cacheFolder } from '../core/code-cache';
import { codeDigest } from '../core/code-digest';

/** What the index knows of one written file. */
interface Entry {
  /** The key of what was written ({@link OutputIndex.keyOf}). */
  readonly key: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** The index file: when it was recorded, and each file's entry by its path relative to the outdir. */
interface Recorded {
  readonly recordedAt: number;
  readonly files: Record<string, Entry>;
}

/**
 * What writeManifests last wrote into an outdir, so that a file whose documents did not change
 * is known to be unchanged from its status alone, without dumping its YAML or reading it — as
 * git's index knows an unchanged file.
 *
 * - A file counts as unchanged when its key (a digest of its documents' JSON digests and of the
 *   YAML code) is the one recorded, and its size, modification time and inode are too. A file
 *   whose modification time is within {@link TIMESTAMP_SLACK_MS} of the recording could have
 *   been edited again in the same clock tick: it is dumped and compared byte for byte.
 * - Where: `node_modules/.cache/cdk8s-istio/outputs/`, a small file per outdir; none with
 *   `CDK8S_ISTIO_CACHE=off`; the {@link KEPT_OUTDIRS} most recently written are kept. A damaged
 *   or missing file knows nothing, so every file is compared.
 */
export class OutputIndex {
  /** The index of `outdir` (absolute) in the working directory's {@link cacheFolder}, or undefined when caching is off. */
  public static open(outdir: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): OutputIndex | undefined {
    const dir = cacheFolder(cwd, env);
    if (dir === undefined) return undefined;
    const name = createHash('sha256').update(outdir).digest('base64url').slice(0, 32);
    return new OutputIndex(outdir, path.join(dir, 'outputs', `${name}.json`));
  }

  /** The key of a file made of documents with these JSON digests, in order. */
  public static keyOf(documentDigests: readonly string[]): string {
    return createHash('sha256').update(`${codeDigest(YAML_FOLDERS, YAML_PACKAGES)}\n${documentDigests.join('\n')}`).digest('base64url');
  }

  private readonly recorded: Recorded | undefined;
  private readonly entries = new Map<string, Entry>();

  private constructor(private readonly outdir: string, private readonly file: string) {
    this.recorded = read(file);
  }

  /** Whether `file` (relative to the outdir) holds what was written for `key`, told by its status alone. */
  public unchanged(file: string, key: string): boolean {
    const entry = this.recorded && Object.prototype.hasOwnProperty.call(this.recorded.files, file) ? this.recorded.files[file] : undefined;
    if (entry?.key !== key || entry.mtimeMs + TIMESTAMP_SLACK_MS >= this.recorded!.recordedAt) return false;
    const stat = statOf(path.join(this.outdir, file));
    return stat !== undefined && stat.size === entry.size && stat.mtimeMs === entry.mtimeMs && stat.ino === entry.ino;
  }

  /** Notes that `file` now holds what was written for `key` (recorded by {@link save}). */
  public note(file: string, key: string): void {
    const stat = statOf(path.join(this.outdir, file));
    if (stat !== undefined) this.entries.set(file, { key, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
  }

  /** Records the noted files, unless the index already says exactly that and could be trusted. A write that fails is skipped. */
  public save(): void {
    const files = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    const recordedAt = this.recorded?.recordedAt ?? 0;
    const trusted = [...this.entries.values()].every(e => e.mtimeMs + TIMESTAMP_SLACK_MS < recordedAt);
    if (trusted && JSON.stringify(files) === JSON.stringify(this.recorded?.files)) return;
    try {
      const dir = path.dirname(this.file);
      fs.mkdirSync(dir, { recursive: true });
      writeAtomically(this.file, JSON.stringify({ recordedAt: Date.now(), files }));
      const names = fs.readdirSync(dir);
      removeAbandonedTemporaries(dir, names);
      const indexes = names.filter(name => name.endsWith('.json'));
      if (indexes.length > KEPT_OUTDIRS) removeAllButNewest(dir, indexes, KEPT_OUTDIRS);
    } catch {
      // a read-only tree: the next run compares every file
    }
  }
}

/** How many outdirs' indexes are kept, the most recently written (tests write many temporary ones). */
export const KEPT_OUTDIRS = 100;

/** How close to its recording a file's modification time makes it untrusted (file systems with coarse timestamps tick once a second). */
export const TIMESTAMP_SLACK_MS = 1_000;

/** The code that turns a document into its YAML text (yaml-dump.ts and js-yaml). */
const YAML_FOLDERS = ['synth', 'core'];
const YAML_PACKAGES = ['js-yaml'];

function read(file: string): Recorded | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Recorded>;
    const valid = typeof parsed.recordedAt === 'number' && typeof parsed.files === 'object' && parsed.files !== null;
    return valid ? parsed as Recorded : undefined;
  } catch {
    return undefined; // missing or damaged
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
