/** Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1e3`). */

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

const SUFFIX_FACTORS: Record<string, number> = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** A quantity as Kubernetes parses it: a signed decimal number with an optional SI, binary or exponent suffix. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/**
 * The numeric value of a quantity (`"500m"` is 0.5, `"1Gi"` is 1073741824), or undefined when it is
 * not one. Precise enough to compare requests with limits.
 */
export function quantityValue(value: string): number | undefined {
  const match = QUANTITY.exec(value);
  if (match === null) return undefined;
  const suffix = match[2] ?? '';
  const number = Number(match[1]);
  if (suffix.startsWith('e') || suffix.startsWith('E')) return number * 10 ** Number(suffix.slice(1));
  return number * SUFFIX_FACTORS[suffix];
}
