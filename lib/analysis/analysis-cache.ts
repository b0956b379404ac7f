import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { AnalysisInput } from './mesh-index';
import type { AnalysisMessage } from './messages';
import { VALIDATOR_PACKAGES } from './schema/verdict-cache';
import { removeAbandonedTemporaries, removeAllButNewest, writeAtomically } from './schema/verdict-store';
import { cacheFolder } from '../core/code-cache';
import { codeDigest } from '../core/code-digest';
import { documentDigest } from '../core/document-digest';

/** What the synth's checks (schema and admission rules) and mesh analyzers found in an app. */
export interface AppFindings {
  /** The findings of the checks. */
  readonly checked: readonly AnalysisMessage[];
  /** The findings of the mesh analyzers. */
  readonly analyzed: readonly AnalysisMessage[];
}

/**
 * A persistent cache of what the synth's checks and analyzers found in a whole app, so that
 * synthesizing an app again with not one document changed (`npm run synth` after a change
 * elsewhere, a snapshot suite run again) reuses the findings instead of checking and analyzing
 * every document again — as the verdict cache (schema/verdict-cache.ts) does per document.
 *
 * - Key: a digest of every document's JSON (its {@link documentDigest}) and construct path, in
 *   order, and of which documents each analyzed set holds. The folder is named after a digest of
 *   the code the findings depend on ({@link codeDigest}: lib/analysis, lib/admission, lib/core and
 *   the schema modules, or the bundle; the validator's packages; Node's version): any change there
 *   starts a new, empty one, so findings are never stale. A synthesis with a document changed
 *   checks and analyzes the app again (its unchanged documents' verdicts still come from the
 *   verdict cache).
 * - Value: the findings, kept only for an app that passed (no finding at the Error level): a
 *   failing synthesis always runs every check again.
 * - Where: `node_modules/.cache/cdk8s-istio/analyses-<digest>/`, one small file per app; none with
 *   `CDK8S_ISTIO_CACHE=off`. Bounded: the {@link KEPT_APPS} most recently written apps of the
 *   {@link KEPT_CODE_DIGESTS} most recent code digests. A damaged file counts as missing.
 */
export class AnalysisCache {
  /** The cache of the working directory's {@link cacheFolder}, or undefined when caching is off or there is nowhere to keep it. */
  public static open(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): AnalysisCache | undefined {
    const dir = cacheFolder(cwd, env);
    return dir === undefined ? undefined : new AnalysisCache(dir);
  }

  private readonly folder: string;

  private constructor(private readonly dir: string) {
    this.folder = path.join(dir, `analyses-${codeDigest(ANALYSIS_FOLDERS, VALIDATOR_PACKAGES)}`);
  }

  /**
   * The key of an app's findings: `all` its documents in order, `sets` the applied sets analyzed
   * (each a list of documents of `all`; none when the analyzers are off).
   */
  public keyOf(all: readonly AnalysisInput[], sets: readonly (readonly AnalysisInput[])[]): string {
    const hash = createHash('sha256');
    const index = new Map<object, number>();
    all.forEach((input, i) => {
      index.set(input.doc, i);
      hash.update(`${input.constructPath ?? ''}\0${JSON.stringify(input.source ?? null)}\0${documentDigest(input.doc).sha256}\n`);
    });
    for (const set of sets) hash.update(`set:${set.map(input => index.get(input.doc) ?? -1).join(',')}\n`);
    return hash.digest('base64url');
  }

  /** The findings kept under `key`, if any. */
  public findings(key: string): AppFindings | undefined {
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(this.folder, `${key}.json`), 'utf8')) as Partial<AppFindings>;
      const { checked, analyzed } = parsed;
      return Array.isArray(checked) && Array.isArray(analyzed) ? { checked, analyzed } : undefined;
    } catch {
      return undefined; // missing or damaged
    }
  }

  /** Keeps the findings of an app that passed under `key`. A write that fails is skipped. */
  public remember(key: string, findings: AppFindings): void {
    try {
      fs.mkdirSync(this.folder, { recursive: true });
      writeAtomically(path.join(this.folder, `${key}.json`), JSON.stringify(findings));
      const names = fs.readdirSync(this.folder);
      removeAbandonedTemporaries(this.folder, names);
      const apps = names.filter(name => name.endsWith('.json'));
      if (apps.length > KEPT_APPS) removeAllButNewest(this.folder, apps, KEPT_APPS);
      removeAllButNewest(this.dir, fs.readdirSync(this.dir).filter(name => name.startsWith('analyses-')), KEPT_CODE_DIGESTS);
    } catch {
      // a read-only tree: the next run analyzes again
    }
  }
}

/** The folders of lib/ whose code decides the findings. */
const ANALYSIS_FOLDERS = ['analysis', 'admission', 'core'];

/** How many apps' findings are kept per code digest (a snapshot suite synthesizes an app per test; a file is some hundred bytes). */
export const KEPT_APPS = 2_000;

/** How many code digests' findings are kept (one checkout runs several builds: the bundles, build/lib, the sources under jest). */
export const KEPT_CODE_DIGESTS = 4;
