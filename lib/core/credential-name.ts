import { IConstruct } from 'constructs';
import { describeGiven } from './check';
import { isDnsLabel, isDnsSubdomain } from './dns';
import { MeshConfigError } from './errors';

/**
 * The prefixes Istio's credential resolver understands, and whether the namespace is required
 * after them (pilot/pkg/model/credentials): `kubernetes://[<ns>/]<name>`,
 * `kubernetes-gateway://<ns>/<name>`, `configmap://<ns>/<name>`; `builtin://` (the workload's
 * own mesh certificate) takes nothing after it.
 */
const PREFIXES: readonly { readonly prefix: string; readonly namespaceRequired: boolean }[] = [
  { prefix: 'kubernetes://', namespaceRequired: false },
  { prefix: 'kubernetes-gateway://', namespaceRequired: true },
  { prefix: 'configmap://', namespaceRequired: true },
];

/** Where a credential is used, which decides the Secret type and namespace the fix suggests. */
export type CredentialUse = 'gateway' | 'client';

/** The fix for a credentialName that is not a Secret reference: how to create the Secret. */
export function credentialFix(use: CredentialUse, namespace = 'istio-system'): string {
  return use === 'gateway'
    ? 'store the certificate in a Secret and reference it by name: '
    + `kubectl create -n ${namespace} secret tls <name> --cert=<cert file> --key=<key file>`
    + ', then use credentialName: \'<name>\''
    : 'store the client certificate in a Secret in the client workload\'s namespace and reference it by name: '
    + `kubectl create -n ${namespace} `
    + 'secret generic <name> --from-file=tls.crt=<cert file> --from-file=tls.key=<key file> --from-file=ca.crt=<CA file>'
    + ', then use credentialName: \'<name>\'';
}

/**
 * What is wrong with a `credentialName`, or undefined when it names a Secret the way Istio
 * resolves it: `<name>`, `<namespace>/<name>`, `kubernetes://[<namespace>/]<name>`,
 * `kubernetes-gateway://<namespace>/<name>`, `configmap://<namespace>/<name>` or `builtin://`
 * (names are DNS-1123 subdomains, namespaces DNS-1123 labels). PEM text and file paths are
 * refused without quoting them back.
 */
export function credentialNameProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `must be the name of a Secret, as a string, not ${describeGiven(value)}`;
  if (value.includes('-----BEGIN')) return 'the value is PEM text (certificate or key material), not the name of a Secret';
  if (value.startsWith('builtin://')) return undefined;
  const scheme = PREFIXES.find(p => value.startsWith(p.prefix));
  const rest = scheme ? value.slice(scheme.prefix.length) : value;
  if (/^(\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value) || (!scheme && /:\/\//.test(value)) || /\.(pem|crt|cer|key|p12|pfx)$/i.test(rest)) {
    return `${quote(value)} is a file path or URL, not the name of a Secret (Istio reads gateway certificates from Secrets)`;
  }
  const parts = rest.split('/');
  const [namespace, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (parts.length > 2 || (scheme?.namespaceRequired && namespace === undefined)) {
    const expected = scheme?.namespaceRequired ? `${scheme.prefix}<namespace>/<name>` : '[<namespace>/]<name>';
    return `${quote(value)} is not a Secret reference (expected ${expected})`;
  }
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    return `${quote(value)} names namespace "${namespace}", which is not a valid namespace name`;
  }
  if (!isDnsSubdomain(name)) {
    return `${quote(value)} is not a valid Secret name (lower-case letters, digits, "-" and ".", `
      + 'starting and ending with a letter or digit)';
  }
  return undefined;
}

/** Throws a {@link MeshConfigError} unless `value` is a Secret reference Istio resolves (see {@link credentialNameProblem}). */
export function checkCredentialName(scope: IConstruct, field: string, value: string, use: CredentialUse, namespace?: string): string {
  const problem = credentialNameProblem(value);
  if (problem) throw new MeshConfigError(scope, field, problem, credentialFix(use, namespace));
  return value;
}

/** Quotes a value in a message unless it is long or multi-line (it may be key material). */
function quote(value: string): string {
  return value.length <= 80 && !/[\r\n]/.test(value) ? `"${value}"` : `the ${value.length}-character value`;
}
