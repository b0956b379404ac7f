/**
 * The generated `toJson_…` conversions of cdk8s's importer (imports/*.io.ts, and the Kubernetes
 * classes copied into imports/kubernetes-l1.ts) drop undefined members with
 *
 *   Object.entries(x).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: <value> }), {})
 *
 * which copies the object built so far once per member: quadratic in the members, and most of the
 * garbage a large synthesis makes. `linearToJson` replaces each such expression with a call of one
 * helper that builds the same object (same members, same order, same conversion of each value) in
 * one pass, and appends the helper to the module.
 */

const IDIOM = /Object\.entries\(([^()]*)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (i\[1\]|i\[1\]\?\.value|toJson_\w+\(i\[1\]\)) \}\), \{\}\)/g;

const HELPER = `
/**
 * \`obj\`'s members that are not undefined, in order, each through \`convert\`: what the importer's
 * \`Object.entries(obj).reduce(...)\` computes, in one pass (written by scripts/linear-to-json.ts).
 */
function definedEntries(obj: { [key: string]: any }, convert: (value: any) => any = (value) => value): { [key: string]: any } {
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (value === undefined) continue;
    if (key === '__proto__') {
      // the importer's computed key defines '__proto__' as an own member; assigning it would set the prototype
      Object.defineProperty(out, key, { value: convert(value), enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = convert(value);
    }
  }
  return out;
}
`;

/** The conversion of one member's value in the idiom, as `definedEntries`' second argument ('' for none). */
function converter(value: string): string {
  if (value === 'i[1]') return '';
  if (value === 'i[1]?.value') return ', (value) => value?.value';
  return `, ${value.slice(0, value.indexOf('('))}`;
}

/** `source` (a generated module) with every reduce idiom replaced by `definedEntries`, and the helper appended. */
export function linearToJson(source: string): string {
  let count = 0;
  const replaced = source.replace(IDIOM, (_, target: string, value: string) => {
    count++;
    return `definedEntries(${target}${converter(value)})`;
  });
  if (/\.reduce\(\(r, i\) =>/.test(replaced)) throw new Error('linearToJson: a reduce idiom of another shape is left; extend IDIOM');
  return count === 0 ? source : `${replaced.trimEnd()}\n${HELPER}`;
}
