import { Analyzer } from '../analyzer';
import { list, strings } from '../mesh-index';
import { msg } from '../message-constructors';

/**
 * The `<namespace>/<name>` form of a gateway reference written the legacy way
 * (`<name>.<namespace>[.svc.cluster.local]`), or undefined when it is not written that way.
 */
function preferredForm(reference: string): string | undefined {
  if (reference === 'mesh' || reference.includes('/') || !reference.includes('.')) return undefined;
  const [name, namespace] = reference.split('.');
  return `${namespace}/${name}`;
}

/**
 * KIA1108: a VirtualService names a gateway (in `gateways` or a match's `gateways`) as
 * `<name>.<namespace>…` rather than `<namespace>/<name>`. Kiali reports any reference with a dot;
 * a `<namespace>/<name>` reference with one is left to the schema check (IST0106), which refuses it.
 */
export const gatewayReferenceNomenclature: Analyzer = {
  name: 'gateway-reference-nomenclature',
  codes: ['KIA1108'],
  analyze(index, report) {
    for (const vs of index.virtualServices()) {
      const check = (reference: string, field: string) => {
        const preferred = preferredForm(reference);
        if (preferred) report(vs, msg.gatewayReferenceNomenclature(reference, preferred), field);
      };
      strings(vs.spec.gateways).forEach((g, i) => check(g, `spec.gateways[${i}]`));
      list(vs.spec.http).forEach((rule, i) => list(rule.match).forEach((match, j) => {
        strings(match.gateways).forEach((g, k) => check(g, `spec.http[${i}].match[${j}].gateways[${k}]`));
      }));
    }
  },
};
