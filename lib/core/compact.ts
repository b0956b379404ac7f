/** Drops the undefined members of an object; returns undefined for an object left empty. */
export function compact<T extends object>(obj: T): T | undefined {
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
    empty = false;
  }
  return empty ? undefined : out as T;
}
