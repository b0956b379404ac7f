import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { placementOf, ztunnelL7Problem } from './ambient-placement';
import { AuthorizationAction, AuthorizationPolicy } from './authorization-policy';
import { WorkloadTarget, matchLabelsOf } from './workload-selector';
import * as L1 from '../../imports/security.istio.io';
import { checkBooleans, checkList, checkProps, describeGiven } from '../core/check';
import { compact } from '../core/compact';
import { MeshConfigError } from '../core/errors';
import { libraryObject } from '../core/library-api-object';
import { checkDnsSubdomain } from '../core/names';
import { namespaceOf } from '../core/namespace';
import { registerLibraryConstruct } from '../core/registry';
import { jwksProblem } from '../core/secret-material';

/** How to validate JWTs from one issuer. */
export interface JwtRule {
  /** The `iss` claim tokens must carry. */
  readonly issuer: string;
  /** URL of the issuer's JSON Web Key Set (exclusive with `jwks`). @default discovered from the issuer's OpenID configuration */
  readonly jwksUri?: string;
  /** The JSON Web Key Set inline — public keys only (exclusive with `jwksUri`). @default none */
  readonly jwks?: string;
  /** Accepted `aud` values. @default any audience */
  readonly audiences?: string[];
  /** Keep the token in the request forwarded to the workload. @default false (Istio strips it) */
  readonly forwardOriginalToken?: boolean;
  /** Copy claims into request headers: header name to claim name. @default none */
  readonly outputClaimToHeaders?: Record<string, string>;
  /** Headers carrying the token, with an optional prefix such as `Bearer `. @default Authorization: Bearer */
  readonly fromHeaders?: { readonly name: string; readonly prefix?: string }[];
}

/** Props of {@link RequestAuthentication}. */
export interface RequestAuthenticationProps {
  /** The resource name. @default the construct id */
  readonly name?: string;
  /** The namespace. @default the chart's namespace */
  readonly namespace?: string;
  /** The workloads that validate tokens. @default every workload in the namespace */
  readonly selector?: WorkloadTarget;
  /** The issuers accepted. */
  readonly jwtRules: JwtRule[];
}

/** Options of {@link RequestAuthentication.requireJwt}. */
export interface RequireJwtOptions {
  /** The AuthorizationPolicy name. @default `<request authentication name>-require-jwt` */
  readonly name?: string;
  /** Paths that need a valid token. @default every path */
  readonly paths?: string[];
  /** Hosts that need a valid token. @default every host */
  readonly hosts?: string[];
}

/**
 * An Istio RequestAuthentication: end-user JWT validation on the selected workloads. A request with
 * an invalid token is rejected; a request without one passes unless an AuthorizationPolicy requires
 * it — `requireJwt()` adds that policy.
 *
 * In an ambient namespace JWTs are validated by a waypoint (ztunnel sees no HTTP): on a MeshService
 * that a waypoint serves the rule is attached to the service (`targetRefs: [{ kind: Service }]`),
 * a namespace-wide rule to the namespace's waypoint (`kind: Gateway`); without a waypoint synthesis
 * fails with the fix.
 */
export class RequestAuthentication extends Construct {
  /** The resource name. */
  public readonly name: string;
  /** The L1 object. */
  public readonly resource: ApiObject;

  private readonly selector?: WorkloadTarget;
  private readonly namespace?: string;
  private readonly jwtPolicyNames = new Set<string>();

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id);
    checkProps(this, props, 'its JWT rules, e.g. { jwtRules: [{ issuer, jwksUri }] }');
    registerLibraryConstruct(this);
    this.name = checkDnsSubdomain(this, 'name', props.name ?? id);
    this.selector = props.selector;
    if (!Array.isArray(props.jwtRules) || props.jwtRules.length === 0) {
      throw new MeshConfigError(this, 'jwtRules', 'at least one JWT rule is needed', 'add { issuer, jwksUri } for each token issuer');
    }
    props.jwtRules.forEach((rule, i) => {
      const field = `jwtRules[${i}]`;
      checkList(this, `${field}.audiences`, rule.audiences);
      checkBooleans(this, field, rule, ['forwardOriginalToken']);
      checkList(this, `${field}.fromHeaders`, rule.fromHeaders);
      if (typeof rule.issuer !== 'string' || !rule.issuer.trim()) {
        throw new MeshConfigError(this, `${field}.issuer`, typeof rule.issuer === 'string' ? 'the issuer is empty'
          : `must be the issuer as a string, not ${describeGiven(rule.issuer)}`, 'set the iss claim value of the tokens');
      }
      if (rule.jwks !== undefined && rule.jwksUri !== undefined) {
        throw new MeshConfigError(this, `${field}.jwks`, 'jwks and jwksUri cannot both be set',
          'keep jwksUri to fetch the keys, or jwks to inline them');
      }
      if (rule.jwksUri !== undefined && !/^https?:\/\/[^/\s]+/.test(rule.jwksUri)) {
        throw new MeshConfigError(this, `${field}.jwksUri`, `"${rule.jwksUri}" is not an http(s) URL`,
          'use the https:// URL of the issuer\'s JWKS');
      }
      const jwks = rule.jwks === undefined ? undefined : jwksProblem(rule.jwks);
      if (jwks) throw new MeshConfigError(this, `${field}.jwks`, jwks.problem, jwks.fix);
    });
    this.namespace = props.namespace;
    const namespace = props.namespace ?? namespaceOf(this);
    const metadata = { name: this.name, ...(props.namespace && { namespace: props.namespace }) };
    const selector = props.selector && { matchLabels: matchLabelsOf(this, 'selector', props.selector, namespace) };
    this.resource = libraryObject(this, 'Resource', L1.RequestAuthentication, metadata, (): L1.RequestAuthenticationSpec => {
      const at = placementOf(this, namespace, props.selector, true);
      return {
        ...(at.on === 'waypoint' ? { targetRefs: at.targetRefs.map(t => ({ ...t })) } : selector && { selector }),
        jwtRules: props.jwtRules.map(renderJwtRule),
      };
    }, L1.toJson_RequestAuthenticationSpec);
    this.node.addValidation({
      validate: () => [ztunnelL7Problem(this, namespace, props.selector, 'jwtRules')].filter(p => p !== undefined),
    });
  }

  /**
   * Requires a valid JWT on the chosen paths/hosts of the same workloads: a DENY policy for
   * requests without a request principal (so it composes with any ALLOW policies).
   */
  public requireJwt(options: RequireJwtOptions = {}): AuthorizationPolicy {
    const to = (options.paths || options.hosts) ? [{ paths: options.paths, hosts: options.hosts }] : undefined;
    const name = options.name ?? `${this.name}-require-jwt`;
    if (this.jwtPolicyNames.has(name)) {
      throw new MeshConfigError(this, 'requireJwt.name', `a policy named "${name}" was already created by requireJwt()`,
        'pass a distinct name for each additional requireJwt() call');
    }
    this.jwtPolicyNames.add(name);
    return new AuthorizationPolicy(this, `RequireJwt-${name}`, {
      name,
      namespace: this.namespace,
      action: AuthorizationAction.DENY,
      selector: this.selector,
      rules: [{ from: [{ notRequestPrincipals: ['*'] }], ...(to && { to }) }],
    });
  }
}

/** A JWT rule as Istio's `JWTRule`; `outputClaimToHeaders` becomes a list of header/claim pairs. */
function renderJwtRule(r: JwtRule): L1.RequestAuthenticationSpecJwtRules {
  return compact<L1.RequestAuthenticationSpecJwtRules>({
    issuer: r.issuer,
    jwksUri: r.jwksUri,
    jwks: r.jwks,
    audiences: r.audiences,
    forwardOriginalToken: r.forwardOriginalToken,
    fromHeaders: r.fromHeaders,
    outputClaimToHeaders: r.outputClaimToHeaders && Object.entries(r.outputClaimToHeaders).map(([header, claim]) => ({ header, claim })),
  })!;
}
