import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { threadId } from 'worker_threads';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { cacheFolder, runWithCodeCache } from '../../core/code-cache';

/**
 * Compiling a large CRD schema with ajv takes ~100 ms; loading the same validator as generated
 * code takes ~15 ms. Validators are therefore compiled once and kept as standalone modules in
 * `node_modules/.cache/cdk8s-istio/` (the usual place for tool caches: the working directory's, else
 * the one beside the installed package, lib/core/code-cache.ts `cacheFolder`), keyed by a hash of the
 * schema, the ajv version and its options, so any change compiles afresh. Where that folder
 * cannot be written (or `CDK8S_ISTIO_CACHE=off`), validators are compiled in memory every run.
 */
export class CompiledValidatorCache {
  private readonly dir: string | undefined;
  private readonly salt: string;
  private compiler: Ajv | undefined;

  /**
   * @param newAjv makes the ajv instance that compiles, called on the first schema not in the cache
   *   (loading ajv and making an instance costs ~60 ms that a run of cached validators never needs)
   * @param options the options `newAjv` gives ajv, part of every cache key
   */
  constructor(private readonly newAjv: () => Ajv, options: object, cwd = process.cwd()) {
    this.dir = cacheFolder(cwd);
    this.salt = `${require('ajv/package.json').version}|${JSON.stringify(options)}`;
  }

  /** The validator of `schema`: loaded from the cache, or compiled (and cached). */
  public validator(schema: object): ValidateFunction {
    if (!this.dir) return this.ajv().compile(schema);
    const digest = createHash('sha256').update(this.salt).update(JSON.stringify(schema)).digest('hex');
    const file = path.join(this.dir, `${digest.slice(0, 32)}.cjs`);
    if (fs.existsSync(file)) {
      try {
        return loadStandalone(file);
      } catch {
        fs.rmSync(file, { force: true }); // a damaged entry is rebuilt below
      }
    }
    const validate = this.ajv().compile(schema);
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const temp = `${file}.${process.pid}-${threadId}.tmp`; // the threads of a process write their own
      const standaloneCode: typeof import('ajv/dist/standalone').default = require('ajv/dist/standalone').default;
      fs.writeFileSync(temp, standaloneCode(this.ajv(), validate));
      fs.renameSync(temp, file);
    } catch {
      // a read-only tree: keep the in-memory validator
    }
    return validate;
  }

  private ajv(): Ajv {
    this.compiler ??= this.newAjv();
    return this.compiler;
  }
}

/**
 * Runs a cached standalone validator module, with V8's code cache beside it (`<entry>.v8`,
 * lib/core/code-cache.ts: the validators are large generated code, up to ~700 kB for a workload
 * kind, and compiling them is most of their loading time). It runs with this library's `require`:
 * its `require("ajv/dist/runtime/…")` calls then resolve from the library's own ajv, wherever the
 * cache folder is (a project whose node_modules has no top-level ajv, e.g. pnpm's layout or a
 * nested install, would otherwise fail to load every entry and recompile it on every run).
 */
function loadStandalone(file: string): ValidateFunction {
  return runWithCodeCache(file, `${file}.v8`, require) as ValidateFunction;
}
