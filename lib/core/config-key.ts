/**
 * A key of a ConfigMap's or Secret's data (the API server's rule): at most 253 letters, digits,
 * '-', '_' and '.', neither `.` nor `..` nor starting with `..` (the kubelet's own names for the
 * files it mounts).
 */
export function isConfigKey(key: string): boolean {
  return /^[-._a-zA-Z0-9]{1,253}$/.test(key) && key !== '.' && !key.startsWith('..');
}
