/** Drops the undefined members of an object; returns undefined for an object left empty. */
export function compact<T extends object>(obj: T): T | undefined {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries) as T;
}
