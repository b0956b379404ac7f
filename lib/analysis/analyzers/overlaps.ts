import { Resource, strings } from '../mesh-index';

/**
 * Values keyed by host (`name.example.com`, `*.example.com` or `*`, compared case-insensitively,
 * as DNS names are), found in time proportional to the host's labels rather than the table's size.
 */
export class HostTable<T> {
  private readonly byHost = new Map<string, T[]>();
  /** How many hosts added are wildcards: with none, a host is covered only by its equals. */
  private wildcards = 0;

  /** Adds a value under a host. */
  public add(host: string, value: T): void {
    const key = host.toLowerCase();
    if (key.startsWith('*')) this.wildcards++;
    const values = this.byHost.get(key);
    if (values) values.push(value);
    else this.byHost.set(key, [value]);
  }

  /**
   * The values under `host` itself and under every wildcard that covers it (`*.b.c` and `*.c` and
   * `*` cover `a.b.c`; `*.c` and `*` cover `*.b.c`). A pair of overlapping hosts is found from the
   * side of the narrower one.
   */
  public covering(host: string): T[] {
    const key = host.toLowerCase();
    const out = [...this.byHost.get(key) ?? []];
    if (this.wildcards === 0) return out;
    let rest = key.startsWith('*.') ? key.slice(2) : key;
    for (let dot = rest.indexOf('.'); dot >= 0; dot = rest.indexOf('.')) {
      rest = rest.slice(dot + 1);
      out.push(...this.byHost.get(`*.${rest}`) ?? []);
    }
    if (key !== '*') out.push(...this.byHost.get('*') ?? []);
    return out;
  }
}

/** The namespaces a resource with `spec.exportTo` is visible to (`*` for all). */
export function exportedTo(r: Resource): Set<string> {
  const exportTo = strings((r.spec as { exportTo?: unknown }).exportTo);
  return new Set(exportTo.length === 0 ? ['*'] : exportTo.map(e => (e === '.' ? r.namespace : e)));
}

/** Whether some namespace sees both resources under their `spec.exportTo`. */
export function exportsOverlap(a: Resource, b: Resource): boolean {
  const x = exportedTo(a);
  const y = exportedTo(b);
  return x.has('*') || y.has('*') || [...x].some(ns => y.has(ns));
}
