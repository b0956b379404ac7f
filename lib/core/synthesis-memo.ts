/**
 * What one synthesis (lib/synth/pipeline.ts) keeps while it runs, during which the app and its
 * rendered documents do not change: each document's digest (lib/core/document-digest.ts) and the
 * values of constructs whose rendering reads the whole app (a Sidecar's egress hosts read every
 * policy and route). Outside a synthesis nothing is kept: every call makes its own.
 */
let stores: Map<string, WeakMap<object, unknown>> | undefined;

/** Runs `fn` (one synthesis) with {@link synthesisStore} and {@link synthesisMemo} keeping what they are given until it returns. */
export function withSynthesisScope<T>(fn: () => T): T {
  if (stores !== undefined) return fn();
  stores = new Map();
  try {
    return fn();
  } finally {
    stores = undefined;
  }
}

/** The store of values by object that the running synthesis keeps under `name`; undefined outside a synthesis. */
export function synthesisStore<V>(name: string): WeakMap<object, V> | undefined {
  if (stores === undefined) return undefined;
  let store = stores.get(name);
  if (store === undefined) stores.set(name, store = new WeakMap());
  return store as WeakMap<object, V>;
}

/** The value `make` gives for `owner` (e.g. the App) and `key`: made once while a synthesis runs, else each time. */
export function synthesisMemo<T>(owner: object, key: string, make: () => T): T {
  const store = synthesisStore<T>(key);
  if (store === undefined) return make();
  if (!store.has(owner)) store.set(owner, make());
  return store.get(owner) as T;
}
