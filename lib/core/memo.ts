/**
 * Memoizes a pure function of one string. The validation predicates run on every synthesized
 * document and the same strings (label keys, images, principals, hosts) recur across thousands of
 * them; the cache is dropped once it holds `limit` entries, so memory stays bounded.
 */
export function memoized<T>(fn: (value: string) => T, limit = 10_000): (value: string) => T {
  let cache = new Map<string, T>();
  return (value: string) => {
    const hit = cache.get(value);
    if (hit !== undefined || cache.has(value)) return hit as T;
    const result = fn(value);
    if (cache.size >= limit) cache = new Map();
    cache.set(value, result);
    return result;
  };
}
