/**
 * Hosts indexed so that the ones a host overlaps (equal to it, matched by it, or matching it, as
 * Istio matches `*` and `*.suffix` wildcards) are found by lookups of its own suffixes, not by a
 * scan of every host.
 */
export class HostOverlapIndex<T> {
  private readonly exact = new Map<string, T[]>();
  /** Hosts under each `.suffix` (a host `a.b.c` or `*.b.c` is under `.b.c` and `.c`), built for the first wildcard asked about. */
  private under?: Map<string, T[]>;
  private readonly hosts: string[] = [];
  private readonly everything: T[] = [];
  /** How many of the hosts are wildcards: with none, only a wildcard asked about overlaps others than its equals. */
  private wildcards = 0;

  /** Adds `value` for `host`. */
  public add(host: string, value: T): void {
    push(this.exact, host, value);
    if (this.under !== undefined) for (const suffix of suffixes(host)) push(this.under, suffix, value);
    if (host.startsWith('*')) this.wildcards++;
    this.hosts.push(host);
    this.everything.push(value);
  }

  /** The values of every host that overlaps `host` (each once per host it was added with). */
  public overlapping(host: string): T[] {
    if (host === '*') return this.everything;
    const found = [...this.exact.get(host) ?? []];
    if (this.wildcards > 0) {
      found.push(...this.exact.get('*') ?? []);
      for (const suffix of suffixes(host)) found.push(...this.exact.get(`*${suffix}`) ?? []);
    }
    if (host.startsWith('*.')) found.push(...this.hostsUnder().get(host.slice(1)) ?? []);
    return found;
  }

  private hostsUnder(): Map<string, T[]> {
    if (this.under === undefined) {
      this.under = new Map();
      this.hosts.forEach((host, i) => {
        for (const suffix of suffixes(host)) push(this.under!, suffix, this.everything[i]);
      });
    }
    return this.under;
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
