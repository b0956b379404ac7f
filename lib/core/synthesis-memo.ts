/**
 * Values computed once per synthesis for constructs whose rendering reads the whole app (a
 * Sidecar's egress hosts read every policy and route): while {@link withSynthesisMemo} runs, the
 * app does not change, so each value is made once and shared; outside it, every call makes its own.
 */
let memo: WeakMap<object, Map<string, unknown>> | undefined;

/** Runs `fn` (one synthesis: lib/synth/pipeline.ts) with {@link synthesisMemo} keeping what it makes until it returns. */
export function withSynthesisMemo<T>(fn: () => T): T {
  if (memo !== undefined) return fn();
  memo = new WeakMap();
  try {
    return fn();
  } finally {
    memo = undefined;
  }
}

/** The value `make` gives for `owner` (e.g. the App) and `key`: made once while a synthesis runs, else each time. */
export function synthesisMemo<T>(owner: object, key: string, make: () => T): T {
  if (memo === undefined) return make();
  let values = memo.get(owner);
  if (values === undefined) memo.set(owner, values = new Map());
  if (!values.has(key)) values.set(key, make());
  return values.get(key) as T;
}
