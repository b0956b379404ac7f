import { Construct, IConstruct } from 'constructs';
import { Check, checkWith, describeGiven } from './check';
import { isDnsLabel, isDnsSubdomain } from './dns';
import { MeshConfigError } from './errors';
import { isNamespaceMatch, isPrincipal, isTrustDomain } from './principals';

/** Context key (set on the App before adding charts) for the mesh's trust domain. */
export const TRUST_DOMAIN_CONTEXT = 'cdk8s-istio/trustDomain';

const TRUST_DOMAIN_FIELD = `context["${TRUST_DOMAIN_CONTEXT}"]`;

/**
 * The trust domain principals are written in: the `cdk8s-istio/trustDomain` context, or
 * `cluster.local`. The context value is checked where it is read: it must be a trust domain Istio
 * accepts (dot-separated DNS labels, e.g. `example.org`) in lower case, as SPIFFE IDs require
 * (Istio accepts upper case but compares principals letter for letter), or a MeshConfigError
 * names the context key.
 */
export function trustDomainOf(scope: IConstruct): string {
  const value: unknown = scope.node.tryGetContext(TRUST_DOMAIN_CONTEXT);
  if (value === undefined) return 'cluster.local';
  const fix = 'set the mesh\'s trustDomain (from the mesh config), a DNS-like name such as "example.org": '
    + `app.node.setContext('${TRUST_DOMAIN_CONTEXT}', 'example.org')`;
  if (typeof value !== 'string' || !isTrustDomain(value)) {
    throw new MeshConfigError(scope, TRUST_DOMAIN_FIELD, `${JSON.stringify(value)} is not a trust domain Istio accepts`, fix);
  }
  if (value !== value.toLowerCase()) {
    throw new MeshConfigError(scope, TRUST_DOMAIN_FIELD, `${JSON.stringify(value)} has upper-case letters: a SPIFFE trust domain `
      + 'must be lower case, and Istio compares principals letter for letter, so a policy matches only if every certificate '
      + 'spells it the same', `use "${value.toLowerCase()}" here and as the mesh's trustDomain: `
      + `app.node.setContext('${TRUST_DOMAIN_CONTEXT}', '${value.toLowerCase()}')`);
  }
  return value;
}

/** Checks a namespace an identity is in: a DNS-1123 label. */
export const checkIdentityNamespace: Check<string> = checkWith(isDnsLabel,
  v => `${JSON.stringify(v)} is not a namespace name, so the identity matches no workload`,
  'use the namespace\'s name: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit');

/** Checks a ServiceAccount name an identity names: a DNS-1123 subdomain. */
export const checkServiceAccountName: Check<string> = checkWith(isDnsSubdomain,
  v => `${JSON.stringify(v)} is not a ServiceAccount name, so the identity matches no workload`,
  'use the ServiceAccount\'s name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit');

/**
 * Refuses a workload construct of another cdk8s App than `scope` (compared by construct tree root,
 * so it holds even across copies of the cdk8s package): its pods are not deployed with `scope`'s
 * manifests, so a policy naming it matches nobody. A value that is no construct at all (a name
 * given from JavaScript) is refused too.
 */
export function checkSameApp(scope: IConstruct, field: string, workload: IConstruct): void {
  if (!Construct.isConstruct(workload)) {
    throw new MeshConfigError(scope, field,
      `must be a construct of this App (a MeshService, a Waypoint, …), not ${describeGiven(workload)}`,
      'pass the construct itself, not its name');
  }
  if (workload.node.root === scope.node.root) return;
  throw new MeshConfigError(scope, field,
    `${workload.node.path} belongs to another cdk8s App, so its workloads are not deployed with this policy`,
    'create the workload in the same App as the policy (one App per set of manifests you deploy)');
}

/** The identity fields of an authorization rule source. */
export interface SourceIdentities {
  /** Peer principals. */
  readonly principals?: readonly string[];
  /** Peer principals excluded. */
  readonly notPrincipals?: readonly string[];
  /** Peer namespaces. */
  readonly namespaces?: readonly string[];
  /** Peer namespaces excluded. */
  readonly notNamespaces?: readonly string[];
  /** Peer service accounts, `<namespace>/<name>`. */
  readonly serviceAccounts?: readonly string[];
}

/**
 * Checks the identities of a raw rule source (`field` is the source's path): principals are
 * `<trust-domain>/ns/<namespace>/sa/<service-account>`, `*`, or a prefix/suffix wildcard
 * (`cluster.local/ns/shop/sa/*`, `*\/ns/shop/sa/orders`); namespaces are names, `*` or prefix/suffix
 * wildcards; serviceAccounts are `<namespace>/<name>`. An identity that cannot match anybody is
 * refused, since a policy naming nobody silently allows (or denies) nobody.
 */
export function checkSourceIdentities(scope: IConstruct, field: string, source: SourceIdentities): void {
  for (const key of ['principals', 'notPrincipals'] as const) {
    source[key]?.forEach((value, i) => {
      if (!isPrincipal(value)) {
        throw new MeshConfigError(scope, `${field}.${key}[${i}]`, `${JSON.stringify(value)} is not a principal Istio can match`,
          principalFix(scope, value));
      }
      if (value !== value.toLowerCase()) {
        throw new MeshConfigError(scope, `${field}.${key}[${i}]`, `${JSON.stringify(value)} has upper-case letters, so it matches no `
          + 'workload: Istio compares principals letter for letter, and every part of a workload\'s is lower case (the SPIFFE trust '
          + 'domain, the namespace and the ServiceAccount name)', `write "${value.toLowerCase()}"`);
      }
    });
  }
  for (const key of ['namespaces', 'notNamespaces'] as const) {
    source[key]?.forEach((value, i) => {
      if (isNamespaceMatch(value)) return;
      throw new MeshConfigError(scope, `${field}.${key}[${i}]`, `${JSON.stringify(value)} is not a namespace name or namespace wildcard`,
        'use a namespace name (lower-case letters, digits and "-"), "*", or a prefix or suffix wildcard such as "team-*"');
    });
  }
  source.serviceAccounts?.forEach((value, i) => {
    const parts = value.split('/');
    if (parts.length === 2 && isDnsLabel(parts[0]) && isDnsSubdomain(parts[1])) return;
    throw new MeshConfigError(scope, `${field}.serviceAccounts[${i}]`, `${JSON.stringify(value)} is not a service account reference`,
      'write <namespace>/<service account name>, e.g. "shop/orders"');
  });
}

function principalFix(scope: IConstruct, value: string): string {
  const form = 'write <trust-domain>/ns/<namespace>/sa/<service-account>';
  if (value.startsWith('spiffe://')) return `${form} without the spiffe:// scheme (Istio adds it): "${value.slice('spiffe://'.length)}"`;
  if (isDnsSubdomain(value)) {
    const example = `${trustDomainOf(scope)}/ns/<namespace>/sa/${value}`;
    return `${form}, e.g. "${example}", "*" for any peer, or a prefix/suffix wildcard; or allow a MeshService with Caller.service(...)`;
  }
  return `${form}, "*" for any peer, or a prefix/suffix wildcard such as "cluster.local/ns/shop/sa/*"`;
}
