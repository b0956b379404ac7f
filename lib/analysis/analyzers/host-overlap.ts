/**
 * Hosts indexed so that the ones a host overlaps (equal to it, matched by it, or matching it, as
 * Istio matches `*` and `*.suffix` wildcards) are found by lookups of its own suffixes, not by a
 * scan of every host.
 */
export class HostOverlapIndex<T> {
  private readonly exact = new Map<string, T[]>();
  /** Hosts under each `.suffix` (a host `a.b.c` or `*.b.c` is under `.b.c` and `.c`). */
  private readonly under = new Map<string, T[]>();
  private readonly everything: T[] = [];

  /** Adds `value` for `host`. */
  public add(host: string, value: T): void {
    push(this.exact, host, value);
    for (const suffix of suffixes(host)) push(this.under, suffix, value);
    this.everything.push(value);
  }

  /** The values of every host that overlaps `host` (each once per host it was added with). */
  public overlapping(host: string): T[] {
    if (host === '*') return this.everything;
    const found = [...this.exact.get(host) ?? [], ...this.exact.get('*') ?? []];
    for (const suffix of suffixes(host)) found.push(...this.exact.get(`*${suffix}`) ?? []);
    if (host.startsWith('*.')) found.push(...this.under.get(host.slice(1)) ?? []);
    return found;
  }
}

/** The proper `.suffix`es of a host: `a.b.c` → `.b.c`, `.c`. */
function suffixes(host: string): string[] {
  const out: string[] = [];
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) out.push(host.slice(i));
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values === undefined) map.set(key, [value]);
  else values.push(value);
}
